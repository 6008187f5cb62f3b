import type { RegionNode } from '@zhiyang/shared';
import { Empty, Spin, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo } from 'react';
import { useRegions } from '../../app/region.tsx';

function toTreeData(nodes: RegionNode[]): DataNode[] {
  return nodes.map((n) => ({ key: n.code, title: n.name, children: toTreeData(n.children ?? []) }));
}

/** The region tree as a navigator: selecting a node lists its children on the right. */
export function RegionTree({ selected, onSelect }: { selected: string | null; onSelect(code: string | null): void }) {
  const { tree, loading } = useRegions();
  const treeData = useMemo(() => toTreeData(tree), [tree]);
  if (loading && tree.length === 0) return <Spin />;
  if (tree.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Tree
      blockNode
      showLine
      treeData={treeData}
      defaultExpandedKeys={tree.map((n) => n.code)}
      selectedKeys={selected ? [selected] : []}
      onSelect={(keys) => onSelect((keys[0] as string | undefined) ?? null)}
    />
  );
}
