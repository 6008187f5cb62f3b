import { Button, Card, Col, Flex, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { institutionsApi } from '../../api/institutions.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';

/** An institution's staff at home: beds, residents, occupancy and nursing-bed ratio now, and where to go. */
export function InstitutionHome({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const board = useFetch((signal) => institutionsApi.bedBoard({ params: { id: orgId }, signal }), orgId);
  const applied = useFetch(
    (signal) => institutionsApi.listAdmissions({ params: { id: orgId }, query: { status: 'applied' }, signal }),
    orgId,
  );
  useRealtimeEvent('institution.beds-changed', () => {
    board.reload();
    applied.reload();
  });
  const s = board.data?.stats;
  return (
    <Card title={t('institutions.home.title')} loading={board.loading && !s} data-testid="institution-home">
      {s && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic title={t('institutions.home.beds')} value={s.beds} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('institutions.home.occupied')} value={s.occupied} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('institutions.home.free')} value={s.free} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('institutions.home.occupancy')} value={Math.round(s.occupancy * 1000) / 10} suffix="%" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('institutions.home.nursingRatio')} value={Math.round(s.nursingRatio * 1000) / 10} suffix="%" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('institutions.home.applied')} value={applied.data?.total ?? 0} />
          </Col>
        </Row>
      )}
      <Flex gap={12} style={{ marginTop: 24 }}>
        <Link to="/console/institution/beds">
          <Button type="primary">{t('institutions.home.openBeds')}</Button>
        </Link>
        <Link to="/console/institution/admissions">
          <Button>{t('institutions.home.openAdmissions')}</Button>
        </Link>
        <Link to="/console/alarms">
          <Button>{t('institutions.home.openAlarms')}</Button>
        </Link>
      </Flex>
    </Card>
  );
}
