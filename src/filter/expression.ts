/**
 * A filter expression as a command line gives it.  Kept apart from the
 * compiler so that commands without a filter never load libpcap or koffi.
 */

/** What tcpdump compiles with when it reads a file (any match keeps the whole frame). */
export const DEFAULT_SNAPLEN = 262144;

/**
 * The filter expression of a command line: `-f EXPR`, or the words after
 * the options joined by spaces, as tcpdump takes them; not both.
 */
export function filterExpression(flag: string | undefined, words: readonly (string | number)[] | undefined, usage: (msg: string) => Error): string | undefined {
  const trailing = (words ?? []).map(String).join(' ').trim();
  if (flag !== undefined && trailing) throw usage(`give the filter either with -f or after the options, not both ('${flag}' and '${trailing}')`);
  const expr = (flag ?? trailing).trim();
  if (flag !== undefined && !expr) throw usage('-f wants a filter expression');
  return expr || undefined;
}
