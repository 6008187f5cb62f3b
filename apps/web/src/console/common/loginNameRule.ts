import { isPhoneOrIdNumber } from '@zhiyang/shared';
import type { TFunction } from 'i18next';

/**
 * A form rule for a new account's login name: not a phone or ID number (it would stand in clear in
 * every audit row). The server refuses it too; this says why before sending, in the console's language.
 */
export const loginNameRule = (t: TFunction) => ({
  validator: (_: unknown, v?: string) =>
    v && isPhoneOrIdNumber(v) ? Promise.reject(new Error(t('common.loginNameNotNumber'))) : Promise.resolve(),
});
