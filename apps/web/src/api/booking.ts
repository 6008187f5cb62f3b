import { bookingContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Booking on the phone pages: `bookingApi.freeSlots({ query: { elderId, itemId } })`, `bookingApi.getHotline()`. */
export const bookingApi = createApi(bookingContract);
