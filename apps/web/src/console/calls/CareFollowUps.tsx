import type { CareCallTask } from '@zhiyang/shared';
import { Alert, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callsApi } from '../../api/calls.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CallActions } from './CallActions.tsx';
import { useCallCategories } from './categories.ts';

export type CareAnswers = Record<string, string | number | undefined>;

/**
 * 后续处理 after an answered care call: an order, an alarm or a complaint made from the dial's call
 * record, through the call's own actions (a second click answers the same record). The dialogs
 * start from what the elder said: the written answers (最近有什么需要帮忙的吗？) become the note or
 * the complaint's reason, and "needs help with meals" offers the meal services first.
 */
export function CareFollowUps({
  task,
  callId,
  answers,
  note,
}: {
  task: CareCallTask;
  callId: string;
  /** The answers just recorded on this page (none after a reload). */
  answers?: CareAnswers;
  note?: string;
}) {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const call = useFetch((signal) => callsApi.getCall({ params: { id: callId }, signal }), `care-call-${callId}-${version}`);
  const categories = useCallCategories();
  const written = task.questions
    .filter((q) => q.kind === 'text')
    .map((q) => answers?.[q.key])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim());
  const prefill = written.length ? written.join('；') : note || undefined;
  const meals = answers?.meals === 'needs_help' ? (categories.byCode.get('meals')?.defaultItemCodes ?? []) : [];
  const c = call.data;
  return (
    <div data-testid="care-follow-ups" style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{t('calls.care.followUps')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('calls.care.followUpsHint')}</Typography.Paragraph>
      {call.error !== undefined && <Alert type="error" showIcon title={problemText(call.error, t)} />}
      {c && (
        <Space direction="vertical">
          <CallActions
            call={c}
            defaultItemCodes={meals}
            prefill={{ note: prefill }}
            beforeAction={() => Promise.resolve()}
            onDone={() => setVersion((v) => v + 1)}
          />
          <Space size={4} wrap>
            {c.orderId && <Tag color="blue">{t('calls.care.orderDone', { no: c.orderNo ?? '' })}</Tag>}
            {c.alarmId && <Tag color="red">{t('calls.care.alarmDone')}</Tag>}
            {c.complaintId && <Tag color="orange">{t('calls.care.complaintDone')}</Tag>}
          </Space>
        </Space>
      )}
    </div>
  );
}
