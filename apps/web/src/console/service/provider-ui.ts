/** Tag colours of a provider's approval state and of a licence's validity. */
export const APPROVAL_COLOR = { pending: 'gold', approved: 'green', rejected: 'default', suspended: 'red' } as const;
export const LICENCE_COLOR = { valid: 'green', expiring: 'orange', expired: 'red' } as const;
