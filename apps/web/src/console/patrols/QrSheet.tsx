import { PrinterOutlined } from '@ant-design/icons';
import type { PatrolRoute } from '@zhiyang/shared';
import { Button, Flex, QRCode, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The printable sheet of a route: one QR code per checkpoint with its name, area and code (the
 * NFC tag carries the same code). The browser's print prints the page; each card avoids a break.
 */
export function QrSheet({ route }: { route: PatrolRoute }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" className="no-print">
        <Typography.Text type="secondary">{t('patrols.routes.printHint')}</Typography.Text>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('patrols.routes.print')}
        </Button>
      </Flex>
      <Flex wrap gap={16} data-testid="qr-sheet">
        {route.checkpoints.map((c) => (
          <Flex
            key={c.id}
            vertical
            align="center"
            gap={4}
            style={{ width: 190, padding: 12, border: '1px dashed #bbb', borderRadius: 8, breakInside: 'avoid' }}
          >
            <QRCode value={c.code} size={150} bordered={false} type="svg" />
            <Typography.Text strong>
              {c.seq}. {c.name}
            </Typography.Text>
            <Typography.Text type="secondary">
              {c.area} · {t(`patrols.kinds.${c.kind}`)}
            </Typography.Text>
            <Typography.Text code style={{ fontSize: 11 }}>
              {c.code}
            </Typography.Text>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
}
