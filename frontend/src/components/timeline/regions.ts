/**
 * Keeps wavesurfer's Regions plugin in step with the timeline's `regions`
 * prop: one plugin region per key, added, updated or removed as the prop
 * changes. The plugin's regions are only a view; the page owns the times.
 */
import type { Region, RegionParams } from 'wavesurfer.js/plugins/regions';

export interface TimelineRegion {
  key: string;
  start: number;
  /** Equal to `start` for a marker: a line at one time (e.g. a comment's). */
  end: number;
  /** CSS colour; drawn translucent over the waveform (hex and rgb() get an alpha). */
  color: string;
  label?: string;
  editable: boolean;
  /** A machine's proposal, not a person's: drawn apart (dashed, hatched; class `tl-ghost`), never editable. */
  ghost?: boolean;
}

/** The part of the plugin's API the timeline uses. */
export interface RegionsApi {
  addRegion(options: RegionParams): Region;
}

/** The part of a plugin region the timeline uses. */
export type RegionLike = Pick<Region, 'id' | 'start' | 'end' | 'element' | 'setOptions' | 'setContent' | 'remove'>;

const FILL_ALPHA = 0.22;
const SELECTED_FILL_ALPHA = 0.42;

/** `color` with the alpha of a region's fill; unknown CSS colours are used as they are. */
export function regionFill(color: string, selected: boolean): string {
  const alpha = selected ? SELECTED_FILL_ALPHA : FILL_ALPHA;
  const c = color.trim();
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  if (m) {
    const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(`${h}${h}`, 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (m) {
    const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? '0', 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  m = /^rgb\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)$/i.exec(c);
  if (m) {
    return `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})`;
  }
  return c;
}

/** What the plugin is given as colour: a translucent fill, or for a marker (start === end) its solid line; a
 * ghost (a machine's proposal) is fainter, outlined dashed by its class. */
function pluginColor(spec: TimelineRegion, selected: boolean): string {
  if (spec.start === spec.end) return spec.color;
  return spec.ghost === true && !selected ? regionFill(spec.color, false).replace(/, [\d.]+\)$/, ', 0.1)') : regionFill(spec.color, selected);
}

/** What a synced plugin region was last given, to tell what changed. */
interface Synced {
  region: RegionLike;
  label: string | undefined;
  color: string;
  editable: boolean;
  selected: boolean;
}

export type SyncedRegions = Map<string, Synced>;

function decorate(region: RegionLike, spec: TimelineRegion, selected: boolean): void {
  const el = region.element;
  if (el === null) {
    return;
  }
  el.dataset.key = spec.key;
  el.title = spec.label ?? '';
  el.classList.toggle('tl-ghost', spec.ghost === true);
  if (spec.ghost === true) el.dataset.ghost = 'true';
  else delete el.dataset.ghost;
  el.style.outline = selected ? `2px solid ${spec.color}` : '';
  el.style.outlineOffset = selected ? '-2px' : '';
  el.style.zIndex = selected ? '1' : '';
  el.setAttribute('aria-selected', selected ? 'true' : 'false');
}

/**
 * Adds, updates and removes plugin regions so that there is one per entry
 * of `regions`, at its times, coloured (the selected one stronger and
 * outlined), resizable by their handles only when editable (never dragged
 * whole: a click inside a region seeks). A region whose
 * times the user changed but the page did not take is put back.
 */
export function syncRegions(
  plugin: RegionsApi,
  synced: SyncedRegions,
  regions: readonly TimelineRegion[],
  selectedKey: string | null,
): void {
  const wanted = new Set(regions.map((r) => r.key));
  for (const [key, entry] of synced) {
    if (!wanted.has(key)) {
      entry.region.remove();
      synced.delete(key);
    }
  }
  for (const spec of regions) {
    const selected = spec.key === selectedKey;
    const entry = synced.get(spec.key);
    if (entry === undefined) {
      const region = plugin.addRegion({
        id: spec.key,
        start: spec.start,
        end: spec.end,
        color: pluginColor(spec, selected),
        // Regions move only by their handles: a click (or press) inside one seeks, it never drags it.
        drag: false,
        resize: spec.editable && spec.ghost !== true,
        content: spec.label,
      });
      decorate(region, spec, selected);
      synced.set(spec.key, { region, label: spec.label, color: spec.color, editable: spec.editable, selected });
      continue;
    }
    const { region } = entry;
    const changes: Parameters<RegionLike['setOptions']>[0] = {};
    if (region.start !== spec.start || region.end !== spec.end) {
      changes.start = spec.start;
      changes.end = spec.end;
    }
    if (entry.color !== spec.color || entry.selected !== selected) {
      changes.color = pluginColor(spec, selected);
    }
    if (entry.editable !== spec.editable) {
      changes.resize = spec.editable;
    }
    if (Object.keys(changes).length > 0) {
      region.setOptions(changes);
    }
    if (entry.label !== spec.label) {
      region.setContent(spec.label);
    }
    decorate(region, spec, selected);
    synced.set(spec.key, { region, label: spec.label, color: spec.color, editable: spec.editable, selected });
  }
}

/** Removes every synced region (the plugin is going away or being replaced). */
export function clearRegions(synced: SyncedRegions): void {
  for (const entry of synced.values()) {
    entry.region.remove();
  }
  synced.clear();
}
