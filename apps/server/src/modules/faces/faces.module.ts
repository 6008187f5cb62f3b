import { defineModule } from '../module.ts';
import { facesRoutes } from './faces.routes.ts';

/**
 * Face identity 人脸识别 (issue 16): its own module, because the canteen kiosk (meals) and the
 * high-age allowance's survival check both use it. Runs offline on the server (docs/faces.md,
 * docs/decisions/0014-face-identity.md).
 */
export const facesModule = defineModule({ name: 'faces', routes: facesRoutes });
