import { defineModule } from '../module.ts';
import { dataExchangeRoutes } from './data-exchange.routes.ts';

/** Data exchange 数据交换 (issue 21): exports to the provincial / national systems, reference-data imports (docs/data-exchange.md). */
export const dataExchangeModule = defineModule({ name: 'data-exchange', routes: dataExchangeRoutes });
