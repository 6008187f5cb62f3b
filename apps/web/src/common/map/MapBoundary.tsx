import { Component, type ReactNode } from 'react';

/**
 * Keeps a map's failure inside the map's box: a bad coordinate or a tile-server fault shows a
 * plain notice there, and the rest of the page (the big screen's alarm figures, a form's fields)
 * goes on working.
 */
export class MapBoundary extends Component<{ children: ReactNode; fallback: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
