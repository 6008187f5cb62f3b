import { EditOutlined, EyeOutlined, KeyOutlined, SwapOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Descriptions, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { eldersApi } from '../../api/elders.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { SafetyRulesTab } from '../alarms/SafetyRulesTab.tsx';
import { type Secret, SecretModal } from '../common/SecretModal.tsx';
import { FaceTab } from '../faces/FaceTab.tsx';
import { HealthTab } from '../health-records/HealthTab.tsx';
import { ContactsTab } from './ContactsTab.tsx';
import { ElderAssessmentsTab } from './ElderAssessmentsTab.tsx';
import { LEVEL_COLOR } from './ElderListPage.tsx';
import { RevealModal, StatusModal } from './ElderModals.tsx';
import { TimelineTab } from './TimelineTab.tsx';

/** A coordinate for people: six decimals (about 0.1 m) at most, no trailing zeros. */
const coord = (v: number) => String(Number(v.toFixed(6)));

/** /console/elders/:id — the 360° record: profile, contacts, assessments, timeline. */
export function ElderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const elder = useFetch((signal) => eldersApi.getElder({ params: { id }, signal }), id);
  const [revealing, setRevealing] = useState(false);
  const [changingStatus, setChangingStatus] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const e = elder.data;
  if (elder.error !== undefined) return <Alert type="error" showIcon title={problemText(elder.error, t)} />;
  if (!e) return <Card loading />;

  async function invite() {
    try {
      const r = await eldersApi.createInviteCode({ params: { id } });
      setSecret({ title: t('elders.detail.inviteCodeTitle'), name: e?.name ?? '', value: r.code });
    } catch (err) {
      message.error(problemText(err, t));
    }
  }

  const none = t('common.none');
  // The hukou region by name (a code only when the platform does not know the region).
  const hukouRegion = e.hukouRegionName ?? e.hukouRegionCode;
  const hukou = e.hukouLocal
    ? hukouRegion
      ? t('elders.detail.hukouYes', { region: hukouRegion })
      : t('elders.detail.hukouYesPlain')
    : hukouRegion
      ? t('elders.detail.hukouNoFrom', { region: hukouRegion })
      : t('elders.detail.hukouNo');
  const list = (xs: string[]) => (xs.length ? xs.map((x) => <Tag key={x}>{x}</Tag>) : none);
  const profile = (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2, lg: 3 }}>
      <Descriptions.Item label={t('elders.field.idNumber')}>
        <code>{e.idNumberMasked}</code> <Tag>{t(`elders.idType.${e.idType}`)}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.birthDate')}>
        {e.birthDate}（{e.age}）
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.sex')}>{t(`elders.sex.${e.sex}`)}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.phone')}>{e.phoneMasked ?? none}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.regionCode')}>{e.regionName ?? e.regionCode}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.address')}>{e.address ?? none}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.hukouLocal')}>{hukou}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.livingSituation')}>{t(`elders.living.${e.livingSituation}`)}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.categories')}>
        {e.categories.length
          ? e.categories.map((c) => <Tag key={c}>{t(`elders.category.${c as 'dibao'}`, { defaultValue: c })}</Tag>)
          : none}
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.abilityLevel')}>
        {e.abilityLevel ? (
          <Tag color={LEVEL_COLOR[e.abilityLevel]}>{t(`elders.level.${e.abilityLevel}`)}</Tag>
        ) : (
          t('elders.list.notAssessed')
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.nextAssessmentDue')}>
        {e.assessmentDue ? <Badge status="warning" text={e.nextAssessmentDue ?? t('elders.detail.due')} /> : e.nextAssessmentDue}
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.disabilityLevel')}>{e.disabilityLevel ?? none}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.medicalInsurance')}>
        {e.medicalInsurance ? t(`elders.insurance.${e.medicalInsurance}`) : none}
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.chronicConditions')}>{list(e.chronicConditions)}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.allergies')}>{list(e.allergies)}</Descriptions.Item>
      <Descriptions.Item label={t('elders.field.dietRestrictions')}>{list(e.dietRestrictions)}</Descriptions.Item>
      <Descriptions.Item label={t('elders.detail.coordinates')}>
        {e.lat !== null && e.lng !== null ? t('elders.detail.latLng', { lat: coord(e.lat), lng: coord(e.lng) }) : none}
      </Descriptions.Item>
      <Descriptions.Item label={t('elders.field.notes')} span={2}>
        {e.notes ?? none}
      </Descriptions.Item>
    </Descriptions>
  );

  return (
    <Card
      title={
        <Space>
          {e.name}
          <Tag color={e.status === 'active' ? 'green' : 'orange'}>{t(`elders.status.${e.status}`)}</Tag>
        </Space>
      }
      extra={
        <Space wrap>
          {can('elder:reveal') && (
            <Button icon={<EyeOutlined />} onClick={() => setRevealing(true)} data-testid="elder-reveal">
              {t('elders.detail.reveal')}
            </Button>
          )}
          {can('elder:write') && (
            <>
              <Button icon={<KeyOutlined />} onClick={invite}>
                {t('elders.detail.inviteCode')}
              </Button>
              <Button icon={<SwapOutlined />} onClick={() => setChangingStatus(true)}>
                {t('elders.detail.changeStatus')}
              </Button>
              <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/console/elders/${id}/edit`)}>
                {t('common.edit')}
              </Button>
            </>
          )}
        </Space>
      }
    >
      <Tabs
        items={[
          { key: 'profile', label: t('elders.detail.tabs.profile'), children: profile },
          {
            key: 'contacts',
            label: t('elders.detail.tabs.contacts'),
            children: <ContactsTab elderId={id} initial={e.contacts} />,
          },
          { key: 'assessments', label: t('elders.detail.tabs.assessments'), children: <ElderAssessmentsTab elderId={id} /> },
          { key: 'timeline', label: t('elders.detail.tabs.timeline'), children: <TimelineTab elderId={id} /> },
          ...(can('alarm:read')
            ? [{ key: 'safety', label: t('safety.rules.tab'), children: <SafetyRulesTab elderId={id} /> }]
            : []),
          ...(can('face:read') ? [{ key: 'face', label: t('faces.tab'), children: <FaceTab elderId={id} /> }] : []),
          ...(can('health:read') ? [{ key: 'health', label: t('healthRecords.tab'), children: <HealthTab elderId={id} /> }] : []),
        ]}
      />
      <RevealModal open={revealing} elderId={id} onClose={() => setRevealing(false)} />
      <StatusModal
        open={changingStatus}
        elder={e}
        onClose={(changed) => {
          setChangingStatus(false);
          if (changed) elder.reload();
        }}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
