import { Alert, Card, Flex, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../app/problems.ts';
import type { Page } from '../../app/types.ts';
import type { FetchState } from '../../app/useFetch.ts';

interface Props<T> extends Omit<TableProps<T>, 'title' | 'dataSource' | 'loading' | 'pagination'> {
  title: ReactNode;
  /** Buttons in the card's header (create, import …). */
  extra?: ReactNode;
  /** Search box and filter selects above the table. */
  filters: ReactNode;
  /** The page of rows; `total` as a counted list answers it (`?count=true`). */
  list: FetchState<Pick<Page<T>, 'items'> & { total?: number }>;
  page: number;
  pageSize: number;
  onPage(page: number, pageSize: number): void;
  /** Let the reader choose the page size once there are more than 50 rows (the page size then comes with `onPage`). */
  sizeChanger?: boolean;
  /** The total as shown; default "共 n 条". */
  totalText?(total: number): string;
  /** Dialogs the page opens (create, edit, import). */
  children?: ReactNode;
}

/** The console's list page: a card with filters, the load problem if any, and a paged table. */
export function ListPage<T extends object>({
  title,
  extra,
  filters,
  list,
  page,
  pageSize,
  onPage,
  sizeChanger = false,
  totalText,
  children,
  ...table
}: Props<T>) {
  const { t } = useTranslation();
  return (
    <Card title={title} extra={extra}>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        {filters}
      </Flex>
      {list.error !== undefined && (
        <Alert type="error" showIcon title={problemText(list.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<T>
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 'max-content' }}
        {...table}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total,
          showSizeChanger: sizeChanger ? undefined : false,
          showTotal: (total) => totalText?.(total) ?? t('common.total', { total }),
          onChange: onPage,
        }}
      />
      {children}
    </Card>
  );
}
