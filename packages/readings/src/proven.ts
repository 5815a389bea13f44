/**
 * Drums whose digit the history proves, independently of any model: between two readings a person
 * vouched for, `before` ≤ `after` on a counter that only counts up, every frame shows a value between
 * them, so the drums the two share from the left never moved. The rightmost shared drum is left out
 * (on a continuously driven counter it turns with its right neighbour, so only its digit, not its
 * position, is proven), and so is every drum whose right neighbour stands at 5 or more (it may be
 * half-way to its next digit). A lower `after` (a rollover past the last digit, a replaced meter or a
 * typo) proves nothing.
 *
 * Values are as the counter prints them ("01234.567"); returns the proven digits from the left.
 */
export function provenDrums(before: string, after: string): number[] {
  const a = before.replace('.', '');
  const b = after.replace('.', '');
  if (a.length !== b.length || !/^\d+$/.test(a) || !/^\d+$/.test(b) || b < a) return [];
  let shared = 0;
  while (shared < a.length && a[shared] === b[shared]) shared++;
  const proven: number[] = [];
  for (let i = 0; i + 1 < shared; i++) {
    if (Number(a[i + 1]) >= 5) break;
    proven.push(Number(a[i]));
  }
  return proven;
}
