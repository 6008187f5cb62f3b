import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';

export interface FoundElder {
  id: string;
  name: string;
  age: number;
  regionCode: string;
}

/**
 * An elder chosen by searching the archive (name or ID number; identifiers masked), for the forms
 * of staff who read the archive. `onFound` passes the chosen elder's community to the form.
 */
export function ElderSearch({
  value,
  onChange,
  onFound,
  id,
}: {
  value?: string;
  onChange?(id: string): void;
  onFound?(elder: FoundElder | undefined): void;
  id?: string;
}) {
  const { t } = useTranslation();
  const [found, setFound] = useState<Array<FoundElder & { label: string }>>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = setTimeout(() => {
      eldersApi.listElders({ query: { q: q.trim(), limit: 10, page: 1, status: 'active' } }).then(
        (r) =>
          setFound(
            r.items.map((e) => ({
              id: e.id,
              name: e.name,
              age: e.age,
              regionCode: e.regionCode,
              label: `${e.name}　${e.age}岁　${e.idNumberMasked}　${e.regionName ?? ''}`,
            })),
          ),
        () => setFound([]),
      );
    }, 300);
  };
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      placeholder={t('medical.form.elderSearch')}
      aria-label={t('medical.form.elder')}
      options={found.map((e) => ({ value: e.id, label: e.label }))}
      onChange={(v: string) => {
        onChange?.(v);
        onFound?.(found.find((e) => e.id === v));
      }}
    />
  );
}
