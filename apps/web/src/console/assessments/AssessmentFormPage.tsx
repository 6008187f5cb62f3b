import {
  ASSESSMENT_DIMENSIONS,
  ASSESSMENT_ITEMS,
  ASSESSMENT_REASONS,
  type AssessmentReason,
  DIMENSION_MAX,
  RISK_EVENTS,
  type RiskEvent,
  scoreAssessment,
} from '@zhiyang/shared';
import {
  Affix,
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Flex,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { assessmentsApi } from '../../api/assessments.ts';
import { eldersApi } from '../../api/elders.ts';
import { outsideRange } from '../../app/date-limits.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { LEVEL_COLOR } from '../elders/ElderListPage.tsx';

/**
 * /console/assessments/new?elderId=…[&corrects=…] — the GB/T 42195-2022 form, made for a tablet:
 * one large tap target per score level with the standard's wording, a live total and level
 * (the server scores again and is the authority).
 */
export function AssessmentFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const elderId = params.get('elderId') ?? '';
  const corrects = params.get('corrects');
  const elder = useFetch((signal) => eldersApi.getElder({ params: { id: elderId }, signal }), elderId);
  const old = useFetch(
    (signal) => (corrects ? assessmentsApi.getAssessment({ params: { id: corrects }, signal }) : Promise.resolve(undefined)),
    corrects ?? '',
  );
  const [scores, setScores] = useState<Record<string, number>>({});
  const [reason, setReason] = useState<AssessmentReason>(corrects ? 'dispute' : 'first');
  const [assessedOn, setAssessedOn] = useState(dayjs());
  const [location, setLocation] = useState('');
  const [coma, setComa] = useState(false);
  const [dementia, setDementia] = useState(false);
  const [diagnoses, setDiagnoses] = useState<string[]>([]);
  const [risk, setRisk] = useState<Partial<Record<RiskEvent, number>>>({});
  const [correctionReason, setCorrectionReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [prefilled, setPrefilled] = useState(false);
  if (old.data && !prefilled) {
    setPrefilled(true);
    setScores(old.data.scores);
    setComa(old.data.background.coma);
    setDementia(old.data.background.dementiaOrMentalDisorder);
    setDiagnoses(old.data.background.diagnoses);
  }

  const background = {
    coma,
    dementiaOrMentalDisorder: dementia,
    diagnoses,
    riskEvents30d: RISK_EVENTS.filter((r) => (risk[r] ?? 0) > 0).map((type) => ({ type, count: risk[type] ?? 0 })),
  };
  const missing = ASSESSMENT_ITEMS.filter((i) => scores[i.key] === undefined).length;
  // Cheap enough to recompute on every render; the server scores again and is the authority.
  const result = scoreAssessment(scores, background);

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const a = await assessmentsApi.createAssessment({
        body: {
          elderId,
          reason,
          assessedOn: assessedOn.format('YYYY-MM-DD'),
          location: location || null,
          background,
          scores,
          ...(corrects ? { correctsId: corrects, correctionReason } : {}),
        },
      });
      message.success(t('elders.assess.saved'));
      navigate(`/console/assessments/${a.id}`);
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card title={`${t('elders.assess.formTitle')}${elder.data ? ` · ${elder.data.name}（${elder.data.age}）` : ''}`}>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Typography.Text strong>{t('elders.assess.reason')}</Typography.Text>
          <Select
            placeholder={t('common.pleaseSelect')}
            value={reason}
            onChange={setReason}
            size="large"
            style={{ width: '100%' }}
            options={ASSESSMENT_REASONS.map((r) => ({ value: r, label: t(`elders.reasons.${r}`) }))}
          />
        </Col>
        <Col xs={24} md={6}>
          <Typography.Text strong>{t('elders.assess.assessedOn')}</Typography.Text>
          <DatePicker
            value={assessedOn}
            onChange={(d) => d && setAssessedOn(d)}
            size="large"
            style={{ width: '100%' }}
            disabledDate={outsideRange('past')}
          />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('elders.assess.location')}</Typography.Text>
          <Input value={location} onChange={(e) => setLocation(e.target.value)} size="large" maxLength={100} />
        </Col>
        {corrects && (
          <Col xs={24}>
            <Typography.Text strong>{t('elders.assess.correctionReason')}</Typography.Text>
            <Input value={correctionReason} onChange={(e) => setCorrectionReason(e.target.value)} size="large" maxLength={500} />
          </Col>
        )}
      </Row>

      <Card type="inner" title={t('elders.assess.background')} style={{ marginTop: 16 }}>
        <Flex vertical gap={12}>
          <Checkbox checked={coma} onChange={(e) => setComa(e.target.checked)} style={{ fontSize: 16 }}>
            {t('elders.assess.coma')}
          </Checkbox>
          <Checkbox checked={dementia} onChange={(e) => setDementia(e.target.checked)} style={{ fontSize: 16 }}>
            {t('elders.assess.dementia')}
          </Checkbox>
          <div>
            <Typography.Text>{t('elders.assess.diagnoses')}</Typography.Text>
            <Select mode="tags" open={false} value={diagnoses} onChange={setDiagnoses} size="large" style={{ width: '100%' }} />
          </div>
          <div>
            <Typography.Text>{t('elders.assess.riskEvents')}</Typography.Text>
            <Flex gap={16} wrap>
              {RISK_EVENTS.map((r) => (
                <Space key={r}>
                  {t(`elders.risk.${r}`)}
                  <InputNumber
                    min={0}
                    max={99}
                    size="large"
                    value={risk[r] ?? 0}
                    onChange={(v) => setRisk((x) => ({ ...x, [r]: v ?? 0 }))}
                    style={{ width: 80 }}
                  />
                </Space>
              ))}
            </Flex>
          </div>
        </Flex>
      </Card>

      {ASSESSMENT_DIMENSIONS.map((dim) => (
        <Card
          type="inner"
          key={dim}
          title={t(`elders.dimensions.${dim}`)}
          extra={
            <Tag>{`${ASSESSMENT_ITEMS.filter((i) => i.dimension === dim).reduce((n, i) => n + (scores[i.key] ?? 0), 0)} / ${DIMENSION_MAX[dim]}`}</Tag>
          }
          style={{ marginTop: 16 }}
        >
          {ASSESSMENT_ITEMS.filter((i) => i.dimension === dim).map((it) => (
            <div key={it.key} style={{ marginBottom: 20 }} data-testid={`item-${it.key}`}>
              <Typography.Title level={5} style={{ marginBottom: 4 }}>
                {it.no}. {it.zh}
                {scores[it.key] === undefined && (
                  <Tag color="red" style={{ marginLeft: 8 }}>
                    ?
                  </Tag>
                )}
              </Typography.Title>
              <Typography.Text type="secondary">{it.definitionZh}</Typography.Text>
              <Radio.Group
                value={scores[it.key]}
                onChange={(e) => setScores((s) => ({ ...s, [it.key]: e.target.value }))}
                style={{ display: 'flex', flexDirection: 'column', gap: 6, marginTop: 8 }}
              >
                {it.levels.map((l) => (
                  <Radio.Button
                    key={l.score}
                    value={l.score}
                    style={{
                      height: 'auto',
                      minHeight: 44,
                      lineHeight: 1.5,
                      padding: '10px 14px',
                      whiteSpace: 'normal',
                      borderRadius: 6,
                    }}
                  >
                    <b>{l.score}</b>　{l.zh}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </div>
          ))}
        </Card>
      ))}

      <Affix offsetBottom={0}>
        <Card size="small" style={{ marginTop: 16, boxShadow: '0 -2px 8px rgba(0,0,0,0.08)' }}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
          <Flex gap={24} align="center" wrap>
            <Statistic title={t('elders.assess.total')} value={result.total} suffix="/ 90" />
            <div>
              <div>{t('elders.assess.preliminary')}</div>
              <Tag>{t(`elders.level.${result.preliminaryLevel}`)}</Tag>
            </div>
            <div>
              <div>{t('elders.assess.finalLevel')}</div>
              <Tag color={LEVEL_COLOR[result.level]} style={{ fontSize: 16, padding: '4px 10px' }}>
                {t(`elders.level.${result.level}`)}
              </Tag>
            </div>
            <div style={{ flex: 1 }}>
              {result.adjustments.map((a) => (
                <div key={a}>
                  <Typography.Text type="warning">{t(`elders.adjustment.${a}`)}</Typography.Text>
                </div>
              ))}
            </div>
            {missing > 0 && <Typography.Text type="danger">{t('elders.assess.missing', { count: missing })}</Typography.Text>}
            <Button
              type="primary"
              size="large"
              disabled={missing > 0 || !elderId}
              loading={saving}
              onClick={save}
              data-testid="assessment-save"
            >
              {t('elders.assess.saveDraft')}
            </Button>
          </Flex>
        </Card>
      </Affix>
    </Card>
  );
}
