import { BED_STATUSES, type BedBoard } from '@zhiyang/shared';
import { App, Badge, Card, Empty, Flex, Popconfirm, Spin, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { institutionsApi } from '../../api/institutions.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { useInstitution } from './useInstitution.tsx';

type Bed = BedBoard['buildings'][number]['floors'][number]['rooms'][number]['beds'][number];

const COLOURS: Record<Bed['status'], { bg: string; border: string }> = {
  free: { bg: '#f6ffed', border: '#95de64' },
  occupied: { bg: '#e6f4ff', border: '#69b1ff' },
  reserved: { bg: '#fffbe6', border: '#ffd666' },
  out_of_service: { bg: '#f5f5f5', border: '#d9d9d9' },
};

/**
 * 床位一览: every bed by building, floor and room — free, occupied (with the resident and the
 * nursing level), reserved or out of service, its bound devices and open alarms — with the live
 * occupancy and nursing-type bed ratio; it re-reads when any bed of the institution changes.
 */
export function BedBoardPage() {
  const { t } = useTranslation();
  const inst = useInstitution();
  const board = useFetch(
    (signal) => (inst.id ? institutionsApi.bedBoard({ params: { id: inst.id }, signal }) : Promise.resolve(undefined)),
    inst.id ?? '',
  );
  useRealtimeEvent<{ orgId?: string }>('institution.beds-changed', (d) => {
    if (!d.orgId || d.orgId === inst.id) board.reload();
  });
  useRealtimeEvent('alarm.raised', () => board.reload());
  const b = board.data;
  return (
    <Card
      title={
        <Flex gap={12} align="center">
          {t('institutions.board.title')}
          {b && <Typography.Text type="secondary">{b.name}</Typography.Text>}
          <Badge status="processing" text={t('institutions.board.live')} />
        </Flex>
      }
      extra={inst.picker}
    >
      {!inst.loading && !inst.id ? (
        <Empty />
      ) : !b ? (
        <Spin />
      ) : (
        <Flex vertical gap={16}>
          <Flex gap={32} wrap data-testid="bed-stats">
            <Statistic title={t('institutions.home.beds')} value={b.stats.beds} />
            <Statistic title={t('institutions.home.occupied')} value={b.stats.occupied} />
            <Statistic title={t('institutions.home.free')} value={b.stats.free} />
            <Statistic title={t('institutions.home.occupancy')} value={Math.round(b.stats.occupancy * 1000) / 10} suffix="%" />
            <Statistic
              title={t('institutions.home.nursingRatio')}
              value={Math.round(b.stats.nursingRatio * 1000) / 10}
              suffix="%"
            />
            <Flex gap={8} align="center">
              {BED_STATUSES.map((s) => (
                <Tag key={s} style={{ background: COLOURS[s].bg, borderColor: COLOURS[s].border, color: '#333' }}>
                  {t(`institutions.board.status.${s}`)}
                </Tag>
              ))}
            </Flex>
          </Flex>
          {b.buildings.length === 0 && <Empty description={t('institutions.board.empty')} />}
          {b.buildings.map((building) => (
            <Card key={building.id} size="small" title={building.name}>
              {building.floors.map((floor) => (
                <Flex key={floor.id} gap={8} align="flex-start" style={{ marginBottom: 12 }}>
                  <Typography.Text strong style={{ width: 56, flex: 'none', paddingTop: 6 }}>
                    {floor.name}
                  </Typography.Text>
                  <Flex gap={8} wrap>
                    {floor.rooms.map((room) => (
                      <div key={room.id} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 6 }}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {room.name}
                        </Typography.Text>
                        <Flex gap={6}>
                          {room.beds.map((bed) => (
                            <BedTile key={bed.id} bed={bed} onChanged={board.reload} />
                          ))}
                        </Flex>
                      </div>
                    ))}
                  </Flex>
                </Flex>
              ))}
            </Card>
          ))}
        </Flex>
      )}
    </Card>
  );
}

function BedTile({ bed, onChanged }: { bed: Bed; onChanged(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const c = COLOURS[bed.status];
  const toggle = async () => {
    try {
      await institutionsApi.patchBed({
        params: { id: bed.id },
        body: { status: bed.status === 'out_of_service' ? 'free' : 'out_of_service' },
      });
      onChanged();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const tile = (
    <div
      data-testid="bed-tile"
      data-status={bed.status}
      style={{
        width: 96,
        minHeight: 64,
        background: c.bg,
        border: `1px solid ${bed.openAlarms ? '#ff4d4f' : c.border}`,
        borderRadius: 4,
        padding: '2px 6px',
        fontSize: 12,
        cursor: bed.status === 'free' || bed.status === 'out_of_service' ? 'pointer' : 'default',
      }}
    >
      <Flex justify="space-between">
        <strong>{bed.label}床</strong>
        <span style={{ color: bed.nursing ? '#1677ff' : '#999' }}>
          {bed.nursing ? t('institutions.board.nursing') : t('institutions.board.general')}
        </span>
      </Flex>
      <div>{bed.residentName ?? t(`institutions.board.status.${bed.status}`)}</div>
      {bed.nursingLevel && <div style={{ color: '#666' }}>{t(`institutions.nursing.${bed.nursingLevel}`)}</div>}
      {bed.devices.length > 0 && (
        <div style={{ color: '#666' }}>{t('institutions.board.devices', { n: bed.devices.length })}</div>
      )}
      {bed.openAlarms > 0 && <div style={{ color: '#cf1322' }}>{t('institutions.board.alarms', { n: bed.openAlarms })}</div>}
    </div>
  );
  if (!can('institution:write') || (bed.status !== 'free' && bed.status !== 'out_of_service')) return tile;
  return (
    <Popconfirm
      title={bed.status === 'free' ? t('institutions.board.takeOut') : t('institutions.board.putBack')}
      onConfirm={toggle}
    >
      {tile}
    </Popconfirm>
  );
}
