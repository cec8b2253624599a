// Display-filter arithmetic on one pair of values, as Wireshark 4.0's field
// types compute it: the left value's type decides, 8- to 32-bit integers
// compute in 32 bits, larger ones in 64, and an operation that overflows or
// divides by zero has no result (the value drops out of the comparison).
// An unsigned difference that goes below zero, or a negated unsigned value,
// becomes signed.  The right value is read through the left's type as
// Wireshark reads its value union: the low 32 bits in 32-bit arithmetic, and
// a 32-bit value zero-extended in 64-bit arithmetic.
//
// Values are u64: unsigned kinds zero-extended, signed kinds sign-extended.

// Must match src/display-filter/program.ts.
export const enum Kind { U32 = 0, I32 = 1, U64 = 2, I64 = 3, TIME = 4 }
export const enum AOp { LEAF = 0, NEGATE = 1, ADD = 2, SUBTRACT = 3, MULTIPLY = 4, DIVIDE = 5, MODULO = 6 }

/** The result of the last operation that had one. */
export let arithResult: u64 = 0;
export let arithResultKind: i32 = 0;

@inline function ok(v: u64, k: i32): bool {
  arithResult = v;
  arithResultKind = k;
  return true;
}

@inline function is32(k: i32): bool { return k == Kind.U32 || k == Kind.I32; }

const I32_MAX: u64 = 0x7fffffff;
const I64_MAX: u64 = 0x7fffffffffffffff;

export function negate(v: u64, k: i32): bool {
  switch (k) {
    case Kind.U32: return v > I32_MAX ? false : ok(<u64>(-<i64>v), Kind.I32);
    case Kind.I32: return ok(<u64><i64>(0 - <i32>v), Kind.I32);
    case Kind.U64: return v > I64_MAX ? false : ok(<u64>(-<i64>v), Kind.I64);
    default: return ok(<u64>(0 - <i64>v), k);
  }
}

export function binary(op: i32, a: u64, ak: i32, b: u64, bk: i32): bool {
  switch (ak) {
    case Kind.U32: return unsigned32(op, a & 0xffffffff, b & 0xffffffff);
    case Kind.I32: return signed32(op, <i64><i32>a, <i64><i32>b);
    case Kind.U64: return unsigned64(op, a, is32(bk) ? b & 0xffffffff : b);
    default: return signed64(op, <i64>a, is32(bk) ? <i64>(b & 0xffffffff) : <i64>b, ak);
  }
}

function unsigned32(op: i32, a: u64, b: u64): bool {
  let r: u64 = 0;
  switch (op) {
    case AOp.ADD: r = a + b; break;
    case AOp.SUBTRACT:
      if (b > a) return a > I32_MAX || b > I32_MAX ? false : ok(<u64>(<i64>a - <i64>b), Kind.I32);
      r = a - b;
      break;
    case AOp.MULTIPLY: r = a * b; break;
    case AOp.DIVIDE: if (b == 0) return false; r = a / b; break;
    case AOp.MODULO: if (b == 0) return false; r = a % b; break;
    default: return false;
  }
  return r > 0xffffffff ? false : ok(r, Kind.U32);
}

function signed32(op: i32, a: i64, b: i64): bool {
  let r: i64 = 0;
  switch (op) {
    case AOp.ADD: r = a + b; break;
    case AOp.SUBTRACT: r = a - b; break;
    case AOp.MULTIPLY: r = a * b; break;
    case AOp.DIVIDE: if (b == 0) return false; r = a / b; break;
    case AOp.MODULO: if (b == 0) return false; r = a % b; break;
    default: return false;
  }
  return r < -0x80000000 || r > 0x7fffffff ? false : ok(<u64>r, Kind.I32);
}

function unsigned64(op: i32, a: u64, b: u64): bool {
  switch (op) {
    case AOp.ADD: return a + b < a ? false : ok(a + b, Kind.U64);
    case AOp.SUBTRACT:
      if (b > a) return a > I64_MAX || b > I64_MAX ? false : ok(<u64>(<i64>a - <i64>b), Kind.I64);
      return ok(a - b, Kind.U64);
    case AOp.MULTIPLY: return a != 0 && b > U64.MAX_VALUE / a ? false : ok(a * b, Kind.U64);
    case AOp.DIVIDE: return b == 0 ? false : ok(a / b, Kind.U64);
    case AOp.MODULO: return b == 0 ? false : ok(a % b, Kind.U64);
    default: return false;
  }
}

function signed64(op: i32, a: i64, b: i64, k: i32): bool {
  switch (op) {
    case AOp.ADD: {
      const r = a + b;
      return ((a ^ r) & (b ^ r)) < 0 ? false : ok(<u64>r, k);
    }
    case AOp.SUBTRACT: {
      const r = a - b;
      return ((a ^ b) & (a ^ r)) < 0 ? false : ok(<u64>r, k);
    }
    case AOp.MULTIPLY: {
      if (a == 0 || b == 0) return ok(0, k);
      const r = a * b;
      return r / b != a || (a == -1 && b == I64.MIN_VALUE) || (b == -1 && a == I64.MIN_VALUE) ? false : ok(<u64>r, k);
    }
    case AOp.DIVIDE: return b == 0 || (a == I64.MIN_VALUE && b == -1) ? false : ok(<u64>(a / b), k);
    case AOp.MODULO: return b == 0 || (a == I64.MIN_VALUE && b == -1) ? false : ok(<u64>(a % b), k);
    default: return false;
  }
}
