import { AreaPlaceholder } from '../common/AreaPlaceholder.tsx';

/** The command-centre big screen (dark; placeholder until the dashboards land). */
export default function ScreenArea() {
  return <AreaPlaceholder area="screen" dark />;
}
