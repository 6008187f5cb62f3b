import type { Canteen } from '@zhiyang/shared';
import { Select } from 'antd';
import { useState } from 'react';
import { mealsApi } from '../../api/meals.ts';
import { useFetch } from '../../app/useFetch.ts';

/** The canteens the user reaches (canteen staff: their own) and the one chosen, the first by default. */
export function useCanteens() {
  const list = useFetch((signal) => mealsApi.listCanteens({ signal }), 'canteens');
  const [chosen, setChosen] = useState<string>();
  const canteens: Canteen[] = list.data?.items ?? [];
  const current = canteens.find((c) => c.id === chosen) ?? canteens[0];
  return { canteens, current, choose: setChosen, loading: list.loading };
}

/** A selector shown only when the user reaches more than one canteen. */
export function CanteenPicker({
  canteens,
  current,
  choose,
}: Pick<ReturnType<typeof useCanteens>, 'canteens' | 'current' | 'choose'>) {
  if (canteens.length < 2) return <span>{current?.name}</span>;
  return (
    <Select
      style={{ minWidth: 220 }}
      value={current?.id}
      onChange={choose}
      options={canteens.map((c) => ({ value: c.id, label: c.name }))}
    />
  );
}
