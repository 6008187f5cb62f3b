import { ReloadOutlined } from '@ant-design/icons';
import { type AuditRow, ROLES, type Role } from '@zhiyang/shared';
import { Alert, Button, Card, Flex, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { auditApi } from '../../api/audit.ts';
import { formatTimeSeconds } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { AuditFilters, type AuditQuery } from './AuditFilters.tsx';
import { type DetailLine, detailLines } from './detail.ts';
import { auditActionLabel, auditTargetLabel, auditTargetPath } from './labels.ts';
import { VerifyChainButton } from './VerifyChainButton.tsx';

const PAGE_SIZE = 50;
const OUTCOME_COLOR = { ok: 'green', denied: 'orange', failed: 'red' } as const;

/** /console/audit-log: who did what, when and from where; newest first, "load more" by cursor. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const { nameOf } = useRegions();
  const [query, setQuery] = useState<AuditQuery>({});
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const latest = useRef(0);

  const load = useCallback(async (q: AuditQuery, after: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await auditApi.searchAudit({ query: { ...q, limit: PAGE_SIZE, cursor: after ?? undefined } });
      if (ticket !== latest.current) return;
      setRows((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (err) {
      if (ticket === latest.current) setError(err);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(query, null);
  }, [query, load]);

  const roleLabel = (role: string | null) => (role && ROLES.includes(role as Role) ? t(`roles.${role as Role}`) : role);

  return (
    <Card
      title={t('audit.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load(query, null)}>
            {t('common.refresh')}
          </Button>
          <VerifyChainButton />
        </Space>
      }
    >
      <AuditFilters onSearch={setQuery} />
      {error !== undefined && <Alert type="error" showIcon title={problemText(error, t)} style={{ marginBottom: 16 }} />}
      <Table<AuditRow>
        rowKey="id"
        size="middle"
        dataSource={rows}
        loading={loading && rows.length === 0}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (row) => Boolean(row.detail && Object.keys(row.detail).length),
          expandedRowRender: (row) => <AuditDetail detail={row.detail ?? {}} lang={i18n.language} />,
        }}
        columns={[
          { title: t('audit.time'), dataIndex: 'at', render: formatTimeSeconds, width: 170 },
          {
            title: t('audit.actor'),
            key: 'actor',
            render: (_, row) => (
              <Flex vertical>
                <span>{row.actorName ?? t('common.none')}</span>
                {row.actorRole && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {roleLabel(row.actorRole)}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (a: string) => <span title={a}>{auditActionLabel(a, i18n.language)}</span>,
          },
          {
            title: t('audit.target'),
            key: 'target',
            render: (_, row) => {
              if (!row.targetType) return t('common.none');
              const name = auditTargetLabel(row.targetType, i18n.language);
              const path = auditTargetPath(row.targetType, row.targetId);
              // The record's page where the console has one; otherwise the type, with the full id on hover.
              if (path)
                return (
                  <Link to={path} title={row.targetId ?? undefined}>
                    {name}
                  </Link>
                );
              return <span title={row.targetId ?? undefined}>{name}</span>;
            },
          },
          {
            title: t('audit.region'),
            dataIndex: 'regionCode',
            render: (code: string | null) => (code ? (nameOf(code) ?? code) : t('common.none')),
          },
          { title: t('audit.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? t('common.none') },
          {
            title: t('audit.outcome'),
            dataIndex: 'outcome',
            render: (o: string) => {
              const outcome = o as keyof typeof OUTCOME_COLOR;
              return <Tag color={OUTCOME_COLOR[outcome]}>{t(`audit.outcomes.${outcome}`)}</Tag>;
            },
          },
        ]}
      />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('audit.loaded', { count: rows.length })}</Typography.Text>
        {cursor ? (
          <Button onClick={() => void load(query, cursor)} loading={loading} data-testid="audit-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

function Lines({ lines }: { lines: DetailLine[] }) {
  return (
    <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 4 }}>
      {lines.map((l) => (
        <div key={l.key} style={{ display: 'contents' }}>
          <dt style={{ color: '#595959' }}>{l.label}</dt>
          <dd style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{l.children ? <Lines lines={l.children} /> : l.text}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The row's detail as named fields with formatted values (detail.ts), not the stored JSON. */
function AuditDetail({ detail, lang }: { detail: Record<string, unknown>; lang: string }) {
  return (
    <div data-testid="audit-detail">
      <Lines lines={detailLines(detail, lang)} />
    </div>
  );
}
