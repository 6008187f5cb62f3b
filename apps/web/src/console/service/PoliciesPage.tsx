import type { Policy } from '@zhiyang/shared';
import { Form, Space } from 'antd';
import { useState } from 'react';
import { catalogueApi } from '../../api/catalogue.ts';
import { policiesApi } from '../../api/policies.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { PolicyForm } from './PolicyForm.tsx';
import { PolicyTable } from './PolicyTable.tsx';
import { formValuesOf, type PolicyFormValues, type Preview } from './policy-form.ts';

/** Policies as data: conditions, amounts, validity; preview before switching on; grant now. */
export function PoliciesPage() {
  const { can } = useAuth();
  const [form] = Form.useForm<PolicyFormValues>();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [editing, setEditing] = useState<Policy | null>(null);
  const list = useFetch((signal) => policiesApi.listPolicies({ signal }), 'policies');
  const catalogue = useFetch((signal) => catalogueApi.listItems({ query: { includeInactive: 'true' }, signal }), 'items');
  const items = catalogue.data?.items ?? [];
  const startEdit = (p: Policy) => {
    form.resetFields();
    form.setFieldsValue(formValuesOf(p));
    setPreview(null);
    setEditing(p);
  };
  const stopEdit = () => {
    setEditing(null);
    form.resetFields();
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <PolicyTable list={list} onEdit={startEdit} items={items} />
      {can('policy:write') && (
        <PolicyForm
          form={form}
          editing={editing}
          preview={preview}
          setPreview={setPreview}
          onStopEdit={stopEdit}
          items={items}
          onSaved={() => {
            setEditing(null);
            list.reload();
            form.resetFields();
          }}
        />
      )}
    </Space>
  );
}
