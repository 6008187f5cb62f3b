import { facesContract, mealsContract } from '@zhiyang/shared';
import { createApi } from '../api/client.ts';

/**
 * What the canteen kiosk calls: face identification within its canteen and 1:1 verification,
 * the fallback lookup (QR card, ID number or its last 4, phone, name), the elder's dishes with the
 * subsidy and balance, and the checkout. The typed client over the shared contracts.
 */
export const kioskApi = createApi({
  getCanteen: mealsContract.getCanteen,
  identifyFace: facesContract.identifyFace,
  verifyFace: facesContract.verifyFace,
  findKioskElders: mealsContract.findKioskElders,
  recommend: mealsContract.recommend,
  serveMeal: mealsContract.serveMeal,
});
