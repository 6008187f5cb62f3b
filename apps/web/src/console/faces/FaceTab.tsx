import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { FACE_ENROL_MAX_PHOTOS, FACE_ENROL_MIN_PHOTOS, FACE_PHOTO_REFUSALS, type FacePhotoRefusal } from '@zhiyang/shared';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Tag,
  Upload,
  type UploadFile,
} from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { facesApi } from '../../api/faces.ts';
import { organizationsApi } from '../../api/organizations.ts';
import { ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

interface EnrolForm {
  signedBy: string;
  signedAt: dayjs.Dayjs;
  documentRef: string;
  canteenOrgIds?: string[];
}

const readBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });

/** The refused photos of a 422: "第 2 张：照片中没有检测到人脸", never the raw code. */
function refusedPhotos(err: unknown, t: TFunction): string[] | null {
  if (!(err instanceof ApiError) || err.status !== 422 || !err.problem.errors) return null;
  return err.problem.errors.map((e) => {
    const n = Number(e.path.split('.').pop()) + 1;
    const code = e.message.split(':')[0] as FacePhotoRefusal;
    const reason = FACE_PHOTO_REFUSALS.includes(code) ? t(`faces.refusal.${code}`) : t('common.unknownError');
    return t('faces.photoN', { n: Number.isFinite(n) ? n : 1, reason });
  });
}

/** The elder record's 人脸 tab: enrolment status and consent, enrolment with 3–5 photos, 撤回同意. */
export function FaceTab({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const status = useFetch((signal) => facesApi.getFaceStatus({ params: { id: elderId }, signal }), elderId);
  const canteens = useFetch(
    (signal) => organizationsApi.listOrgs({ query: { type: 'canteen', limit: 200 }, signal }),
    'canteens',
  );
  const [form] = Form.useForm<EnrolForm>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<string[] | null>(null);
  const s = status.data;
  if (status.error !== undefined) return <Alert type="error" showIcon title={problemText(status.error, t)} />;
  if (!s) return <Card loading />;
  const writable = can('face:enrol');

  async function enrol(v: EnrolForm) {
    if (files.length < FACE_ENROL_MIN_PHOTOS || files.length > FACE_ENROL_MAX_PHOTOS) {
      message.error(t('faces.photoCount'));
      return;
    }
    setBusy(true);
    setRefused(null);
    try {
      const photos = await Promise.all(files.map((f) => readBase64(f.originFileObj as File)));
      await facesApi.enrolFace({
        params: { id: elderId },
        body: {
          consent: { signedBy: v.signedBy, signedAt: v.signedAt.format(), documentRef: v.documentRef },
          photos,
          canteenOrgIds: v.canteenOrgIds ?? [],
        },
      });
      message.success(t('faces.enrolled_ok'));
      setFiles([]);
      form.resetFields();
      status.reload();
    } catch (err) {
      const lines = refusedPhotos(err, t);
      if (lines) setRefused(lines);
      else message.error(problemText(err, t));
    } finally {
      setBusy(false);
    }
  }

  async function withdraw() {
    try {
      await facesApi.deleteFace({ params: { id: elderId } });
      message.success(t('faces.withdrawn'));
      status.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  }

  const when = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('faces.status')}>
          {s.enrolled ? <Tag color="green">{t('faces.enrolled')}</Tag> : <Tag>{t('faces.notEnrolled')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('faces.enrolledAt')}>{when(s.enrolledAt)}</Descriptions.Item>
        <Descriptions.Item label={t('faces.enrolledBy')}>{s.enrolledByName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('faces.photos')}>{s.enrolled ? s.descriptorCount : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('faces.consentSignedBy')}>{s.consent?.signedBy ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('faces.consentSignedAt')}>{when(s.consent?.signedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('faces.consentDocumentRef')}>{s.consent?.documentRef ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('faces.canteens')}>
          {s.canteens.length ? s.canteens.map((c) => <Tag key={c.id}>{c.name}</Tag>) : t('faces.none')}
        </Descriptions.Item>
      </Descriptions>
      {writable && s.enrolled && (
        <Popconfirm title={t('faces.withdrawConfirm')} onConfirm={withdraw} okButtonProps={{ danger: true }}>
          <Button danger icon={<DeleteOutlined />}>
            {t('faces.withdraw')}
          </Button>
        </Popconfirm>
      )}
      {writable && (
        <Card size="small" title={s.enrolled ? t('faces.reEnrolTitle') : t('faces.enrolTitle')}>
          <Alert type="info" showIcon title={t('faces.consentHint')} style={{ marginBottom: 12 }} />
          <Form
            form={form}
            layout="vertical"
            onFinish={enrol}
            initialValues={{ signedAt: dayjs(), canteenOrgIds: s.canteens.map((c) => c.id) }}
          >
            <Form.Item name="signedBy" label={t('faces.consentSignedBy')} rules={[{ required: true, max: 50 }]}>
              <Input placeholder={t('faces.signedByPlaceholder')} />
            </Form.Item>
            <Form.Item name="signedAt" label={t('faces.consentSignedAt')} rules={[{ required: true }]}>
              <DatePicker showTime format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isAfter(dayjs())} />
            </Form.Item>
            <Form.Item name="documentRef" label={t('faces.consentDocumentRef')} rules={[{ required: true, max: 100 }]}>
              <Input placeholder={t('faces.documentRefPlaceholder')} />
            </Form.Item>
            <Form.Item name="canteenOrgIds" label={t('faces.canteens')} extra={t('faces.canteensHint')}>
              <Select
                mode="multiple"
                allowClear
                loading={!canteens.data && canteens.error === undefined}
                options={(canteens.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
            <Form.Item label={t('faces.photoHint')}>
              <Upload
                accept="image/jpeg,image/png"
                multiple
                listType="picture"
                maxCount={FACE_ENROL_MAX_PHOTOS}
                fileList={files}
                beforeUpload={() => false}
                onChange={({ fileList }) => setFiles(fileList)}
              >
                <Button icon={<UploadOutlined />}>{t('faces.choosePhotos')}</Button>
              </Upload>
            </Form.Item>
            {refused && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('faces.refusedTitle')}
                description={
                  <ul style={{ margin: 0, paddingLeft: 20 }}>
                    {refused.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                }
              />
            )}
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('faces.enrol')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
