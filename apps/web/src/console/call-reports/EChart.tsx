import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** An ECharts chart that follows its card's width; the option is applied whole on each change. */
export function Chart({ option, height = 280 }: { option: echarts.EChartsOption; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    chart.current = echarts.init(el.current);
    // Follow the card's width (the menu folding, the window): a canvas of a fixed width would
    // hold the page wide and squeeze the menu.
    const watch = new ResizeObserver(() => chart.current?.resize());
    watch.observe(el.current);
    return () => {
      watch.disconnect();
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);
  return <div ref={el} style={{ height, width: '100%', minWidth: 0, overflow: 'hidden' }} />;
}
