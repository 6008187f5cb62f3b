import { type InstitutionRisk, RISK_COLOUR_HEX, type RiskColour } from '@zhiyang/shared';
import { Card, Empty, Flex, Spin, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { patrolsApi } from '../../api/patrols.ts';
import { useFetch } from '../../app/useFetch.ts';
import { useInstitution } from '../institutions/useInstitution.tsx';

/** Text colour readable on each risk colour (yellow needs dark text). */
export const RISK_TEXT: Record<RiskColour, string> = { red: '#fff', orange: '#fff', yellow: '#333', blue: '#fff' };

export function RiskBadge({ colour, t }: { colour: RiskColour; t: TFunction }) {
  return (
    <span
      style={{
        display: 'inline-block',
        minWidth: 28,
        padding: '0 8px',
        borderRadius: 4,
        textAlign: 'center',
        background: RISK_COLOUR_HEX[colour],
        color: RISK_TEXT[colour],
        fontWeight: 600,
      }}
    >
      {t(`patrols.colours.${colour}`)}
    </span>
  );
}

/** What made a score: each input with its count and points (only those that count). */
export function Contributions({ items, t }: { items: InstitutionRisk['contributions']; t: TFunction }) {
  const shown = items.filter((c) => c.count > 0);
  return (
    <Flex vertical gap={2}>
      {shown.map((c) => (
        <Typography.Text key={c.code} style={{ color: 'inherit' }}>
          {t('patrols.risk.item', { zh: c.zh, count: c.count, points: c.points })}
        </Typography.Text>
      ))}
    </Flex>
  );
}

/**
 * 风险地图 of one institution: its colour (红 / 橙 / 黄 / 蓝) and score with what contributed, and
 * one tile per area of its checkpoints, coloured by the hazards, overdue rectifications and missed
 * checkpoints there.
 */
export function RiskMapPage() {
  const { t } = useTranslation();
  const inst = useInstitution();
  const risk = useFetch(
    (signal) => (inst.id ? patrolsApi.institutionRisk({ params: { id: inst.id }, signal }) : Promise.resolve(undefined)),
    inst.id ?? '',
  );
  const r = risk.data;
  return (
    <Card
      title={
        <Flex gap={12} align="center">
          {t('patrols.risk.title')}
          {r && <Typography.Text type="secondary">{r.name}</Typography.Text>}
        </Flex>
      }
      extra={inst.picker}
    >
      {!inst.loading && !inst.id ? (
        <Empty />
      ) : !r ? (
        <Spin />
      ) : (
        <Flex vertical gap={20}>
          <Flex gap={24} align="center" data-testid="institution-risk">
            <div
              style={{
                width: 120,
                height: 120,
                borderRadius: 12,
                background: RISK_COLOUR_HEX[r.colour],
                color: RISK_TEXT[r.colour],
                display: 'flex',
                flexDirection: 'column',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 40,
                fontWeight: 700,
              }}
            >
              {t(`patrols.colours.${r.colour}`)}
              <span style={{ fontSize: 14, fontWeight: 400 }}>{t('patrols.risk.score', { score: r.score })}</span>
            </div>
            <Flex vertical gap={4}>
              <Typography.Text strong>{t('patrols.risk.contributions')}</Typography.Text>
              <Contributions items={r.contributions} t={t} />
            </Flex>
          </Flex>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('patrols.risk.areas')}
          </Typography.Title>
          {r.areas.length === 0 && <Empty description={t('patrols.risk.noAreas')} />}
          <Flex wrap gap={12} data-testid="area-tiles">
            {r.areas.map((a) => (
              <div
                key={a.area}
                style={{
                  width: 200,
                  minHeight: 110,
                  padding: 12,
                  borderRadius: 8,
                  background: RISK_COLOUR_HEX[a.colour],
                  color: RISK_TEXT[a.colour],
                }}
              >
                <Flex justify="space-between">
                  <strong style={{ fontSize: 16 }}>{a.area}</strong>
                  <span>{t(`patrols.colours.${a.colour}`)}</span>
                </Flex>
                <div style={{ marginBottom: 4 }}>{t('patrols.risk.score', { score: a.score })}</div>
                <Contributions items={a.contributions} t={t} />
              </div>
            ))}
          </Flex>
          <Typography.Text type="secondary">{t('patrols.risk.rules')}</Typography.Text>
        </Flex>
      )}
    </Card>
  );
}
