import { facesContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Face identity 人脸识别: `facesApi.getFaceStatus({ params: { id } })`. */
export const facesApi = createApi(facesContract);
