import type { CreditLevel } from '@zhiyang/shared';

/** Tag colours of the credit levels, shared by the console and the public page. */
export const LEVEL_COLOUR: Record<CreditLevel, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };
