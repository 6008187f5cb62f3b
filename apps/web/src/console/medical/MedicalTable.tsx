import { Alert, Card, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../app/problems.ts';
import type { FetchState } from '../../app/useFetch.ts';

interface Props<T> extends Omit<TableProps<T>, 'title' | 'dataSource' | 'loading'> {
  title: ReactNode;
  /** Buttons in the card's header (create …). */
  extra?: ReactNode;
  /** The list as loaded; its problem, if any, is shown above the table. */
  list: FetchState<{ items: T[] }>;
  /** Rows to show instead of `list.data.items` (a part of the answer, such as coverage rows). */
  rows?: T[];
  testId?: string;
}

/**
 * One list of the 医养结合 pages: a card with a title, its buttons, the load problem and a small
 * table. Every list of the five pages is one of these, so they look and fail the same way.
 */
export function MedicalTable<T extends object>({ title, extra, list, rows, testId, ...table }: Props<T>) {
  const { t } = useTranslation();
  return (
    <Card title={title} extra={extra} data-testid={testId}>
      {list.error !== undefined && (
        <Alert type="error" showIcon title={problemText(list.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<T>
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        dataSource={rows ?? list.data?.items}
        loading={list.loading}
        {...table}
      />
    </Card>
  );
}

export const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
