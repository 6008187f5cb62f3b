import { Alert, App, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, problemText } from '../../app/problems.ts';

interface Props<T> {
  open: boolean;
  title: ReactNode;
  form: FormInstance<T>;
  onClose(): void;
  /** Saves the form; a thrown problem is shown by the modal and the modal stays open. */
  onSubmit(values: T): Promise<void>;
  /**
   * `edit`: a record's editor. The OK button says "save", the form is reset to `values` each
   * time the dialog opens, a click on the mask does not close it and a problem is shown above
   * the form. `quick` (default): a short dialog destroyed when hidden; a problem is a message.
   */
  mode?: 'edit' | 'quick';
  /** The fields the server's field errors may point at: those errors are shown on the fields. */
  fields?: readonly string[];
  /** Values an editing dialog starts from each time it opens. */
  values?: Partial<T>;
  /** Initial values of a quick dialog's form. */
  initialValues?: Partial<T>;
  /** false: forget what was typed when the dialog closes (antd keeps it by default). */
  preserve?: boolean;
  width?: number;
  children: ReactNode;
}

/** The console's form dialog: OK submits the form, the save is awaited, a problem is shown in the user's language. */
export function FormModal<T>({
  open,
  title,
  form,
  onClose,
  onSubmit,
  mode = 'quick',
  fields,
  values,
  initialValues,
  preserve,
  width,
  children,
}: Props<T>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editing = mode === 'edit';
  // Read when the dialog opens, so a caller may build `values` inline on every render.
  const initial = useRef(values);
  initial.current = values;

  useEffect(() => {
    if (!open || !editing) return;
    setError(null);
    form.resetFields();
    if (initial.current) form.setFieldsValue(initial.current as Parameters<typeof form.setFieldsValue>[0]);
  }, [open, editing, form]);

  async function submit(v: T) {
    setSaving(true);
    setError(null);
    try {
      await onSubmit(v);
    } catch (err) {
      if (fields && applyFieldErrors(form, err, fields)) return;
      if (editing) setError(problemText(err, t));
      else message.error(problemText(err, t));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={title}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      width={width}
      {...(editing
        ? { okText: t('common.save'), cancelText: t('common.cancel'), mask: { closable: false }, forceRender: true }
        : { destroyOnHidden: true })}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<T>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        preserve={preserve}
        {...(editing ? { requiredMark: 'optional' as const, style: { marginTop: 20 } } : {})}
      >
        {children}
      </Form>
    </Modal>
  );
}
