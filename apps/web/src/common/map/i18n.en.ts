import type { mapZhCN } from './i18n.ts';

export const mapEnUS: typeof mapZhCN = {
  picker: {
    label: 'Pick a place on the map',
    failed: 'The map cannot be shown just now; type the latitude and longitude instead.',
    marker: 'Position (drag to move)',
    hint: 'Click the map to place the point and drag the marker to adjust, or type the latitude and longitude beside it.',
    picked: 'Picked: latitude {{lat}}, longitude {{lng}} (WGS-84)',
    noGeocoder: 'No address lookup is configured; pick the place on the map.',
    lookup: 'Find',
    addressPlaceholder: 'Type an address to find it',
    notFound: 'That address was not found; try another wording or pick the place on the map',
    outside: 'The point lies outside the boundary of {{name}}; please check',
  },
  boundaries: {
    title: 'Region boundaries',
    import: 'Import boundaries',
    importHint:
      'Choose a GeoJSON file (FeatureCollection). Each feature names its region in properties.code (region code) or properties.name; geometry Polygon or MultiPolygon in WGS-84 / CGCS2000 [longitude, latitude]. Nothing is written unless every feature passes.',
    chooseFile: 'Choose a GeoJSON file',
    notJson: 'The file is not valid GeoJSON',
    importDone: 'Boundaries of {{count}} regions imported',
    count: 'Boundaries on file: {{count}} regions',
    problems: '{{count}} problems found; nothing was written',
    notCollection: 'The file must be a GeoJSON FeatureCollection',
    notOne: 'The file must hold one Polygon or MultiPolygon geometry (one feature, or a collection of one)',
    set: 'Set boundary',
    setTitle: 'Set the boundary of {{name}}',
    setHint:
      'Choose a GeoJSON file: one Polygon or MultiPolygon geometry, one feature, or a collection of one feature, in WGS-84 / CGCS2000 [longitude, latitude]. The current boundary is replaced.',
    setDone: 'Boundary of {{name}} set ({{vertices}} vertices)',
    where: 'Where',
    problem: 'Problem',
    feature: 'Feature {{n}}',
    position: 'position {{at}}',
    coordinates: 'coordinates',
    geometryType: 'geometry type',
    geometry: 'geometry',
    wholeFile: 'whole file',
  },
  screen: {
    legend: 'Open life-safety alarms',
    none: 'none',
    failed: 'The map cannot be shown just now',
  },
};
