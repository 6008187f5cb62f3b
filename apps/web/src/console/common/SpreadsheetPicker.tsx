import { InboxOutlined } from '@ant-design/icons';
import { Button, Upload, type UploadFile } from 'antd';

/**
 * One .csv / .xlsx file to import, dropped or picked (kept in the browser until sent), and the
 * button that sends it: the import screens of the allowance back office and the 优待证 share it.
 * Picking another file clears what the screen showed of the previous one (`onPick`).
 */
export function SpreadsheetPicker({
  file,
  onPick,
  onUpload,
  uploading,
  pickText,
  uploadText,
  disabled,
}: {
  file: UploadFile | null;
  onPick(file: UploadFile | null): void;
  onUpload(): void;
  uploading: boolean;
  pickText: string;
  uploadText: string;
  disabled?: boolean;
}) {
  return (
    <>
      <Upload.Dragger
        accept=".csv,.xlsx"
        maxCount={1}
        disabled={disabled}
        fileList={file ? [file] : []}
        beforeUpload={() => false}
        onChange={({ fileList }) => onPick(fileList.at(-1) ?? null)}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{pickText}</p>
      </Upload.Dragger>
      <Button type="primary" disabled={!file} loading={uploading} onClick={onUpload}>
        {uploadText}
      </Button>
    </>
  );
}
