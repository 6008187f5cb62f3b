import type { RegionLevel, RegionNode } from '@zhiyang/shared';
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useRegions } from '../../app/region.tsx';

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(nodes: RegionNode[], selectable?: readonly RegionLevel[]): TreeOption[] {
  return nodes.map((node) => ({
    value: node.code,
    title: node.name,
    disabled: selectable ? !selectable.includes(node.level) : false,
    children: toOptions(node.children ?? [], selectable),
  }));
}

interface Props {
  value?: string | null;
  onChange?: (code: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Only these levels can be chosen (the others stay visible as structure). */
  selectableLevels?: readonly RegionLevel[];
  style?: React.CSSProperties;
  id?: string;
  variant?: 'outlined' | 'borderless' | 'filled';
}

/** A TreeSelect over the region tree the server lets this user see. */
export function RegionTreeSelect({
  value,
  onChange,
  placeholder,
  allowClear = true,
  selectableLevels,
  style,
  id,
  variant,
}: Props) {
  const { tree, loading } = useRegions();
  const { t } = useTranslation();
  const treeData = useMemo(() => toOptions(tree, selectableLevels), [tree, selectableLevels]);
  return (
    <TreeSelect
      id={id}
      value={value ?? undefined}
      onChange={(code) => onChange?.((code as string | undefined) ?? null)}
      treeData={treeData}
      loading={loading}
      placeholder={placeholder ?? t('common.select', { field: t('users.region') })}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll={false}
      treeDefaultExpandedKeys={tree.map((n) => n.code)}
      popupMatchSelectWidth={false}
      variant={variant}
      style={{ minWidth: 200, ...style }}
    />
  );
}
