import { EnvironmentOutlined } from '@ant-design/icons';
import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';

/** The header's region filter: list pages narrow to the chosen subtree (empty = whole scope). */
export function RegionSwitcher() {
  const { can } = useAuth();
  const { selected, setSelected } = useRegions();
  const { t } = useTranslation();
  if (!can('region:read')) return null;
  return (
    <Flex align="center" gap={6}>
      <EnvironmentOutlined style={{ color: '#0f7b6c' }} />
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        {t('header.region')}
      </Typography.Text>
      <RegionTreeSelect
        id="region-switcher"
        value={selected}
        onChange={setSelected}
        placeholder={t('header.myScope')}
        variant="filled"
        style={{ width: 220 }}
      />
    </Flex>
  );
}
