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
   * An editing dialog names the fields the server's field errors may point at: they are
   * shown on those fields (the rest above the form), the OK button says "save", the form is
   * reset to `values` each time the dialog opens and a click on the mask does not close it.
   * A quick dialog (no `fields`) shows a problem as a message and is destroyed when hidden.
   */
  fields?: readonly string[];
  /** Values an editing dialog starts from each time it opens. */
  values?: Partial<T>;
  width?: number;
  children: ReactNode;
}

/** The console's form dialog: OK submits the form, the save is awaited, a problem is shown in the user's language. */
export function FormModal<T>({ open, title, form, onClose, onSubmit, fields, values, width, children }: Props<T>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editing = fields !== undefined;
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
      if (!editing) message.error(problemText(err, t));
      else if (!applyFieldErrors(form, err, fields)) setError(problemText(err, t));
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
        {...(editing ? { requiredMark: 'optional' as const, style: { marginTop: 20 } } : {})}
      >
        {children}
      </Form>
    </Modal>
  );
}
