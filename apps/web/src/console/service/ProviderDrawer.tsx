import { App, Button, Drawer, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { providersApi } from '../../api/providers.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { ProviderFacts } from './ProviderFacts.tsx';
import { ProviderOfferings } from './ProviderOfferings.tsx';
import { ProviderAreas, ProviderLicences, ProviderSites, ProviderStaff } from './ProviderSections.tsx';
import { useProviderEditors } from './useProviderEditors.tsx';

type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';

/** One provider: facts and slots, approval and the dishonesty list (bureau), licences, areas, sites, prices, staff. */
export function ProviderDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message, modal } = App.useApp();
  const detail = useFetch(
    (signal) => (id ? providersApi.getProvider({ params: { id }, signal }) : Promise.resolve(undefined)),
    `p-${id}`,
  );
  const staff = useFetch(
    (signal) => (id ? providersApi.listStaff({ params: { id }, signal }) : Promise.resolve(undefined)),
    `s-${id}`,
  );
  const d = detail.data;
  const mayWrite = can('provider:write') && (me?.orgId === id || can('provider:approve'));
  const editors = useProviderEditors(id, d, { onDetail: detail.reload, onStaff: staff.reload });

  const act = async (decision: Decision, reason?: string) => {
    if (!id) return;
    try {
      await providersApi[decision]({ params: { id }, body: { reason } });
      detail.reload();
      onChanged();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };

  const withReason = (decision: Decision) => {
    let reason = '';
    modal.confirm({
      title: t('service.common.reason'),
      content: <Input.TextArea onChange={(e) => (reason = e.target.value)} />,
      onOk: () => act(decision, reason),
    });
  };

  return (
    <Drawer open={!!id} onClose={onClose} width={720} title={d?.name} loading={detail.loading}>
      {d && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <ProviderFacts d={d} mayWrite={mayWrite} onSaved={detail.reload} />
          {can('provider:approve') && (
            <Space wrap>
              {(d.approvalStatus === 'pending' || d.approvalStatus === 'rejected') && (
                <Button type="primary" onClick={() => act('approve')}>
                  {t('service.providers.approve')}
                </Button>
              )}
              {d.approvalStatus === 'pending' && (
                <Button onClick={() => withReason('reject')}>{t('service.providers.reject')}</Button>
              )}
              {d.approvalStatus === 'approved' && (
                <Button danger onClick={() => withReason('suspend')}>
                  {t('service.providers.suspend')}
                </Button>
              )}
              {d.approvalStatus === 'suspended' && (
                <Button onClick={() => act('reinstate')}>{t('service.providers.reinstate')}</Button>
              )}
              <Button
                danger={!d.dishonest}
                onClick={() => {
                  // Listing and removal are the credit file's decisions: each with its reason.
                  let reason = '';
                  modal.confirm({
                    title: t('service.common.reason'),
                    content: (
                      <Input.TextArea aria-label={t('service.common.reason')} onChange={(e) => (reason = e.target.value)} />
                    ),
                    onOk: async () => {
                      await providersApi
                        .setDishonesty({
                          params: { id: d.id },
                          body: { dishonest: !d.dishonest, reason: reason.trim() || undefined },
                        })
                        .catch((e) => message.error(problemText(e, t)));
                      detail.reload();
                      onChanged();
                    },
                  });
                }}
              >
                {d.dishonest ? t('service.providers.unlistDishonest') : t('service.providers.listDishonest')}
              </Button>
            </Space>
          )}
          <ProviderLicences d={d} mayWrite={mayWrite} onAdd={editors.addLicence} />
          <ProviderAreas d={d} mayWrite={mayWrite} onAdd={editors.editAreas} />
          <ProviderSites d={d} mayWrite={mayWrite} onAdd={editors.addSite} />
          <ProviderOfferings d={d} mayWrite={mayWrite} onSaved={detail.reload} />
          <ProviderStaff d={d} mayWrite={mayWrite} onAdd={editors.addStaff} staff={staff.data?.items} />
        </Space>
      )}
      {editors.siteDialog}
    </Drawer>
  );
}
