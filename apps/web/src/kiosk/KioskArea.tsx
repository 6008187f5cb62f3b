import { AreaPlaceholder } from '../common/AreaPlaceholder.tsx';

/** The kiosk front end (placeholder until its pages land). */
export default function KioskArea() {
  return <AreaPlaceholder area="kiosk" />;
}
