/**
 * Derives a stable CRM account id from an account name, because the sample names
 * accounts and has no ids: `acct-` and the name in lower case with every run of other
 * characters than letters and digits turned into one `-` (`Gekko & Co` -> `acct-gekko-co`).
 * The same name always gives the same id, so replays address the same customer.
 */
export function sampleAccountId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') {
    throw new Error(`Account name ${JSON.stringify(name)} has no letters or digits, so no account id can be derived from it; name the account`);
  }
  return `acct-${slug}`;
}

/** Maps each account name to its id; throws when two names give the same id. */
export function sampleAccountIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const namesById = new Map<string, string>();
  for (const name of names) {
    const id = sampleAccountId(name);
    const other = namesById.get(id);
    if (other !== undefined && other !== name) {
      throw new Error(`Accounts ${JSON.stringify(other)} and ${JSON.stringify(name)} both give account id ${JSON.stringify(id)}; rename one in accounts.csv`);
    }
    namesById.set(id, name);
    ids.set(name, id);
  }
  return ids;
}
