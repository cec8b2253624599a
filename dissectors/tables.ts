/**
 * Module-level tables: a StaticArray without StaticArray's zero fill.
 *
 * Tables are made while the module starts, when the stub runtime hands out
 * memory never used before, which is zero.  StaticArray's constructor
 * zeroes it again, touching every page of every table: 50-80 ms of each
 * start on this machine kind, and resident memory for table parts never
 * used.  The engine zeroes this start-time heap itself before a fresh
 * instance starts over a memory a trapped instance used (startHeapEnd).
 * Only for module-level constants: memory allocated later may be reused.
 */
export function table<T>(length: i32): StaticArray<T> {
  return changetype<StaticArray<T>>(__new(<usize>length << alignof<T>(), idof<StaticArray<T>>()));
}
