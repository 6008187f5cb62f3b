import type { ServiceItem } from '@zhiyang/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../api/booking.ts';
import { currentLanguage } from '../app/i18n.ts';
import { useFetch } from '../app/useFetch.ts';
import { BRAND, box, DANGER, ghostButton, whenText } from './styles.ts';

export interface Slot {
  start: string;
  day: string;
}

/**
 * The day and time of the visit, from the free slots the server counts (next 7 days). The first
 * free slot is chosen already, so booking stays at three taps (预约服务 → the service → 确认预约).
 */
export function ChooseSlot({
  elderId,
  item,
  value,
  onChange,
}: {
  elderId: string;
  item: ServiceItem;
  value: Slot | null;
  onChange(s: Slot | null): void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const free = useFetch(
    (signal) => bookingApi.freeSlots({ query: { elderId, itemId: item.id }, signal }),
    `slots-${elderId}-${item.id}`,
  );
  const slots = free.data?.slots ?? [];
  const days = [...new Set(slots.map((s) => s.day))];
  const [day, setDay] = useState<string | null>(null);
  const shownDay = day ?? value?.day ?? days[0] ?? null;
  useEffect(() => {
    if (!value && slots.length) onChange(slots[0]);
  }, [value, slots, onChange]);
  if (free.loading) return <p>…</p>;
  if (!slots.length) return <p style={{ ...box, borderColor: DANGER, color: DANGER }}>{t('elderHome.noSlot')}</p>;
  const dayName = (d: string) => whenText(slots.find((s) => s.day === d)?.start ?? '', lang, t as never).replace(/ \S+$/, '');
  const clock = (iso: string) =>
    new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(
      new Date(iso),
    );
  const pick = (on: boolean) => ({
    ...ghostButton,
    background: on ? '#e3f3ef' : '#fff',
    borderWidth: on ? 5 : 3,
    margin: 0,
  });
  return (
    <>
      <p style={{ fontWeight: 700, margin: '8px 0' }}>{t('elderHome.chooseDay')}</p>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
        {days.map((d) => (
          <button
            type="button"
            key={d}
            aria-pressed={d === shownDay}
            style={{ ...pick(d === shownDay), fontSize: 22 }}
            onClick={() => {
              setDay(d);
              onChange(slots.find((s) => s.day === d) ?? null);
            }}
          >
            {dayName(d)}
          </button>
        ))}
      </div>
      <p style={{ fontWeight: 700, margin: '16px 0 8px' }}>{t('elderHome.chooseTime')}</p>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 8 }}>
        {slots
          .filter((s) => s.day === shownDay)
          .map((s) => (
            <button
              type="button"
              key={s.start}
              aria-pressed={value?.start === s.start}
              style={{ ...pick(value?.start === s.start), color: BRAND }}
              onClick={() => onChange(s)}
            >
              {clock(s.start)}
            </button>
          ))}
      </div>
    </>
  );
}
