import { InboxOutlined } from '@ant-design/icons';
import type { BoundaryFeature, Region } from '@zhiyang/shared';
import { Alert, Button, Modal, Table, Typography, Upload, type UploadFile } from 'antd';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { regionsApi } from '../../api/regions.ts';
import { ApiError } from '../../app/api.ts';
import { problemText } from '../../app/problems.ts';
import { createBaseMap, drawOutlines, PLAIN_BACKGROUND } from '../../common/map/baseMap.ts';
import { forgetBoundaries, loadBoundaries, loadMapSettings } from '../../common/map/mapData.ts';
import { placeText, problemHalf } from './boundaryProblems.ts';

interface Props {
  open: boolean;
  /** Set one region's outline; without it, import a FeatureCollection for the regions it names. */
  region?: Region | null;
  onClose(): void;
}

interface PlaceProblem {
  where: string;
  message: string;
}

/** A single geometry from a file for one region: a bare geometry, a Feature, or a collection of one. */
function oneGeometry(json: { type?: string; geometry?: unknown; features?: Array<{ geometry?: unknown }> }): unknown {
  if (json.type === 'Feature') return json.geometry;
  if (json.type === 'FeatureCollection') return json.features?.length === 1 ? json.features[0].geometry : undefined;
  return json;
}

/**
 * 导入边界 / 设置边界: upload a GeoJSON file. The server writes every outline or none; its
 * problems are listed per place in the user's language, and what was imported is drawn.
 */
export function BoundaryImportModal({ open, region, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [done, setDone] = useState<{ text: string; codes: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<PlaceProblem[]>([]);
  const [uploading, setUploading] = useState(false);

  function reset() {
    setFile(null);
    setDone(null);
    setError(null);
    setProblems([]);
  }

  async function upload() {
    if (!file?.originFileObj) return;
    setUploading(true);
    reset();
    setFile(file);
    try {
      let json: { type?: string; features?: unknown[] };
      try {
        json = JSON.parse(await file.originFileObj.text());
      } catch {
        setError(t('map.boundaries.notJson'));
        return;
      }
      if (region) {
        const geometry = oneGeometry(json as never);
        if (!geometry || typeof geometry !== 'object') {
          setError(t('map.boundaries.notOne'));
          return;
        }
        const r = await regionsApi.setBoundary({ params: { code: region.code }, body: { geometry } });
        setDone({ text: t('map.boundaries.setDone', { name: region.name, vertices: r.vertices }), codes: [region.code] });
      } else {
        if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
          setError(t('map.boundaries.notCollection'));
          return;
        }
        const r = await regionsApi.importBoundaries({ body: json as never });
        setDone({ text: t('map.boundaries.importDone', { count: r.updated }), codes: r.matched.map((m) => m.code) });
      }
      forgetBoundaries();
    } catch (err) {
      setError(problemText(err, t));
      if (err instanceof ApiError && err.problem.errors?.length) {
        setProblems(
          err.problem.errors.map((e) => ({ where: placeText(e.path, t), message: problemHalf(e.message, i18n.language) })),
        );
        if (err.code === 'invalid-geometry' || err.status === 422)
          setError(t('map.boundaries.problems', { count: err.problem.errors.length }));
      }
    } finally {
      setUploading(false);
    }
  }

  return (
    <Modal
      open={open}
      title={region ? t('map.boundaries.setTitle', { name: region.name }) : t('map.boundaries.import')}
      onCancel={onClose}
      afterClose={reset}
      width={720}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.close')}
        </Button>,
        <Button key="import" type="primary" disabled={!file} loading={uploading} onClick={upload} data-testid="boundary-upload">
          {region ? t('map.boundaries.set') : t('map.boundaries.import')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">
        {region ? t('map.boundaries.setHint') : t('map.boundaries.importHint')}
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".geojson,.json,application/geo+json,application/json"
        maxCount={1}
        fileList={file ? [file] : []}
        beforeUpload={() => false}
        onChange={({ fileList }) => {
          reset();
          setFile(fileList.at(-1) ?? null);
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('map.boundaries.chooseFile')}</p>
        <p className="ant-upload-hint">.geojson / .json</p>
      </Upload.Dragger>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} data-testid="boundary-error" />}
      {problems.length > 0 && (
        <Table
          size="small"
          style={{ marginTop: 12 }}
          rowKey={(p) => `${p.where}:${p.message}`}
          dataSource={problems}
          pagination={problems.length > 10 ? { pageSize: 10 } : false}
          columns={[
            { title: t('map.boundaries.where'), dataIndex: 'where', width: 220 },
            { title: t('map.boundaries.problem'), dataIndex: 'message' },
          ]}
        />
      )}
      {done && (
        <>
          <Alert type="success" showIcon title={done.text} style={{ marginTop: 16 }} data-testid="boundary-done" />
          <BoundaryPreview codes={done.codes} />
        </>
      )}
    </Modal>
  );
}

/** The outlines just written, drawn on their own (read back from the server, so this is what the maps will show). */
function BoundaryPreview({ codes }: { codes: string[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [features, setFeatures] = useState<BoundaryFeature[] | null>(null);
  const key = codes.join(',');
  useEffect(() => {
    let live = true;
    const wanted = new Set(key.split(','));
    void loadBoundaries(null).then((all) => live && setFeatures(all.filter((f) => wanted.has(f.properties.code))));
    return () => {
      live = false;
    };
  }, [key]);
  useEffect(() => {
    if (!box.current || !features) return;
    let m: L.Map | null = null;
    let observer: ResizeObserver | null = null;
    let live = true;
    void loadMapSettings().then((settings) => {
      if (!live || !box.current) return;
      const map = createBaseMap(box.current, settings, { zoomControl: true }).setView([30.63, 104.06], 12);
      m = map;
      const bounds = drawOutlines(L.layerGroup().addTo(map), features);
      const frame = () => {
        map.invalidateSize();
        if (bounds?.isValid()) map.fitBounds(bounds.pad(0.1), { animate: false, maxZoom: 16 });
      };
      frame();
      // The dialog is still growing while the map is made: frame it again once its box has its size.
      observer = new ResizeObserver(frame);
      observer.observe(box.current);
    });
    return () => {
      live = false;
      observer?.disconnect();
      m?.remove();
    };
  }, [features]);
  return (
    <div
      ref={box}
      data-testid="boundary-preview"
      style={{ height: 280, marginTop: 12, borderRadius: 8, border: '1px solid #d9e3e0', background: PLAIN_BACKGROUND.light }}
    />
  );
}
