import type { MobileLoginTexts } from './mobileLogin.i18n.ts';

export const mobileLoginEnUS: MobileLoginTexts = {
  byCode: 'Text code',
  byPassword: 'Password',
  phone: 'Mobile number',
  phoneHint: '11-digit mobile number',
  phoneInvalid: 'Enter a valid 11-digit mobile number',
  code: 'Code',
  codeHint: 'The 6 digits in the text message',
  codeInvalid: 'Enter the 6-digit code from the text message',
  getCode: 'Get code',
  sending: 'Sending…',
  resendIn: 'New code in {{seconds}} s',
  codeSent: 'The code was sent; check your text messages (valid for 5 minutes)',
  needCodeFirst: 'Tap “Get code” first',
  submit: 'Log in',
};
