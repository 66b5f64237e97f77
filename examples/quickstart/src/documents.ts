/** Made-up tenants and their documents: what the simulated workload works on. */

export interface Tenant {
  id: string;
  documents: readonly string[];
}

export const TENANTS: readonly Tenant[] = [
  {
    id: 'acme',
    documents: [
      'The Man Who Sold the World.pdf',
      'Master services agreement 2026.docx',
      'Q3 board minutes.pdf',
      'Warehouse lease — Rotterdam.pdf',
      'Supplier onboarding checklist.xlsx',
    ],
  },
  {
    id: 'globex',
    documents: [
      'Annual report 2025.pdf',
      'Employee handbook v7.docx',
      'Patent filing EP-4471.pdf',
      'Data processing addendum.pdf',
    ],
  },
  {
    id: 'initech',
    documents: [
      'TPS report cover sheets.pdf',
      'Migration plan — mainframe to cloud.md',
      'Vendor invoices March.zip',
      'Security audit findings.pdf',
    ],
  },
  {
    id: 'umbrella',
    documents: ['Clinical trial protocol 12.pdf', 'Lab safety manual.pdf', 'Shipping manifests week 48.csv'],
  },
];

/** A pseudo-random generator with a fixed seed: the same demo run tells the same story. */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, picked with `random`. */
export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}
