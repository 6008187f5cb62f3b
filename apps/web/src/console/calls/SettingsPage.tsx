import { Card, Tabs } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ctiApi } from '../../api/cti.ts';
import { useFetch } from '../../app/useFetch.ts';
import { AgentsTab } from './AgentsTab.tsx';
import { HotlinesTab } from './HotlinesTab.tsx';
import { KNOWN_SKILLS, type SkillNames, skillName, skillOptions } from './settings-ui.ts';

/**
 * 呼叫中心设置 (call:supervise): the hotlines of the supervisor's region with their queues (the
 * skill a queue asks for, the overflow time), and the agents (which account, extension, skills,
 * and the queues those skills let them take). Every field the contract allows is settable here.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const hotlines = useFetch((signal) => ctiApi.listHotlines({ signal }), 'call-hotlines');
  const agents = useFetch((signal) => ctiApi.listAgents({ signal }), 'call-agents');
  const names: SkillNames = useMemo(
    () => ({
      known: Object.fromEntries(KNOWN_SKILLS.map((k) => [k, t(`calls.settings.skill.${k}`)])),
      unnamed: t('calls.settings.skill.unnamed'),
    }),
    [t],
  );
  const hotlineItems = hotlines.data?.items ?? [];
  const agentItems = agents.data?.items ?? [];
  const skill = (code: string) => skillName(code, names, hotlineItems, agentItems);
  const options = skillOptions(names, hotlineItems, agentItems);

  return (
    <Card title={t('calls.settings.title')}>
      <Tabs
        items={[
          {
            key: 'hotlines',
            label: t('calls.settings.tabHotlines'),
            children: <HotlinesTab list={hotlines} skill={skill} skillOptions={options} />,
          },
          {
            key: 'agents',
            label: t('calls.settings.tabAgents'),
            children: <AgentsTab list={agents} hotlines={hotlineItems} skill={skill} skillOptions={options} />,
          },
        ]}
      />
    </Card>
  );
}
