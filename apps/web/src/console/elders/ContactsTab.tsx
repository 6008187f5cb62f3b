import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { CONTACT_RELATIONSHIPS_ZH, type ElderContact as Contact, type ContactInput, PHONE_PATTERN } from '@zhiyang/shared';
import { App, Button, Checkbox, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { FormModal } from '../common/FormModal.tsx';

/** Guardians and emergency contacts in the order the alarm centre calls them. */
export function ContactsTab({ elderId, initial }: { elderId: string; initial: Contact[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [contacts, setContacts] = useState(initial);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<ContactInput>();
  const params = { id: elderId };

  async function run(call: () => Promise<Contact[]>) {
    try {
      setContacts(await call());
    } catch (err) {
      message.error(problemText(err, t));
    }
  }
  const move = (i: number, by: number) => {
    const ids = contacts.map((c) => c.id);
    const [x] = ids.splice(i, 1);
    ids.splice(i + by, 0, x);
    return run(() => eldersApi.reorderContacts({ params, body: { ids } }));
  };
  const writable = can('elder:write');

  return (
    <>
      {writable && (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          {t('elders.contacts.add')}
        </Button>
      )}
      <Table<Contact>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={contacts}
        columns={[
          { title: t('elders.contacts.callOrder'), dataIndex: 'callOrder', width: 90 },
          { title: t('elders.contacts.name'), dataIndex: 'name' },
          { title: t('elders.contacts.relationship'), dataIndex: 'relationship' },
          { title: t('elders.contacts.phone'), dataIndex: 'phoneMasked' },
          {
            title: '',
            render: (_: unknown, c) => (
              <Space>
                {c.isGuardian && <Tag color="blue">{t('elders.contacts.isGuardian')}</Tag>}
                {c.holdsKey && <Tag color="gold">{t('elders.contacts.holdsKey')}</Tag>}
              </Space>
            ),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  render: (_: unknown, c: Contact, i: number) => (
                    <Space>
                      <Button
                        size="small"
                        icon={<ArrowUpOutlined />}
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                        title={t('elders.contacts.up')}
                      />
                      <Button
                        size="small"
                        icon={<ArrowDownOutlined />}
                        disabled={i === contacts.length - 1}
                        onClick={() => move(i, 1)}
                        title={t('elders.contacts.down')}
                      />
                      <Popconfirm
                        title={t('elders.contacts.confirmDelete')}
                        onConfirm={() => run(() => eldersApi.deleteContact({ params: { ...params, contactId: c.id } }))}
                      >
                        <Button size="small" danger icon={<DeleteOutlined />} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal
        open={adding}
        title={t('elders.contacts.add')}
        form={form}
        preserve={false}
        onClose={() => setAdding(false)}
        onSubmit={async (v) => {
          await run(() => eldersApi.addContact({ params, body: v }));
          setAdding(false);
        }}
      >
        <Form.Item name="name" label={t('elders.contacts.name')} rules={[{ required: true, max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="relationship" label={t('elders.contacts.relationship')} rules={[{ required: true }]}>
          <Select
            placeholder={t('common.pleaseSelect')}
            options={CONTACT_RELATIONSHIPS_ZH.map((r) => ({ value: r, label: r }))}
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('elders.contacts.phone')}
          rules={[{ required: true, pattern: PHONE_PATTERN, message: t('elders.contacts.phone') }]}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Space>
          <Form.Item name="isGuardian" valuePropName="checked">
            <Checkbox>{t('elders.contacts.isGuardian')}</Checkbox>
          </Form.Item>
          <Form.Item name="holdsKey" valuePropName="checked">
            <Checkbox>{t('elders.contacts.holdsKey')}</Checkbox>
          </Form.Item>
        </Space>
      </FormModal>
    </>
  );
}
