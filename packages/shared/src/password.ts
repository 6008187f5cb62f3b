/**
 * Password rules (等保 level 3 habits): at least 8 characters, three of the four
 * character classes, and not the username. Returns the broken rules as message keys.
 */
export type PasswordProblem = 'tooShort' | 'tooFewClasses' | 'containsUsername' | 'tooLong';

export function checkPassword(password: string, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < 8) problems.push('tooShort');
  if (password.length > 128) problems.push('tooLong');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('tooFewClasses');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('containsUsername');
  return problems;
}

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, { zh: string; en: string }> = {
  tooShort: { zh: '密码至少 8 位', en: 'at least 8 characters' },
  tooLong: { zh: '密码最多 128 位', en: 'at most 128 characters' },
  tooFewClasses: {
    zh: '须包含大写字母、小写字母、数字、符号中的至少三类',
    en: 'use three of: upper case, lower case, digits, symbols',
  },
  containsUsername: { zh: '密码不能包含用户名', en: 'must not contain the username' },
};
