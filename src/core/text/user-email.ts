/**
 * The form an email is stored and compared in. NFKC first, so look-alikes such as the Kelvin sign
 * (U+212A) or full-width letters fold to their ASCII letter before lower-casing and cannot open a
 * second account for what a human reads as the same address.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
