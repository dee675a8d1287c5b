import { describe, expect, it, vi } from 'vitest';
import type { Region, RegionParams } from 'wavesurfer.js/plugins/regions';
import { clearRegions, regionFill, syncRegions, type SyncedRegions, type TimelineRegion } from './regions';

/** A stand-in for the Regions plugin (the real one needs a wavesurfer instance). */
function fakePlugin() {
  const added: ReturnType<typeof fakeRegion>[] = [];
  return {
    added,
    addRegion: vi.fn((params: RegionParams) => {
      const region = fakeRegion(params);
      added.push(region);
      return region as unknown as Region;
    }),
  };
}

function fakeRegion(params: RegionParams) {
  const region = {
    id: params.id ?? '',
    start: params.start,
    end: params.end ?? params.start,
    color: params.color,
    element: document.createElement('div') as HTMLElement | null,
    setOptions: vi.fn((options: Partial<RegionParams>) => {
      region.start = options.start ?? region.start;
      region.end = options.end ?? region.end;
    }),
    setContent: vi.fn(),
    remove: vi.fn(),
  };
  return region;
}

const ref: TimelineRegion = { key: 'ref', start: 1, end: 4, color: '#e6194b', label: 'Reference', editable: true };
const clue: TimelineRegion = { key: 'clue0', start: 2, end: 3, color: 'rgb(0, 128, 255)', editable: false };

describe('regionFill', () => {
  it('makes colours translucent, stronger when selected', () => {
    expect(regionFill('#e6194b', false)).toBe('rgba(230, 25, 75, 0.22)');
    expect(regionFill('#fff', true)).toBe('rgba(255, 255, 255, 0.42)');
    expect(regionFill('rgb(0, 128, 255)', false)).toBe('rgba(0, 128, 255, 0.22)');
    expect(regionFill('hsla(0, 50%, 50%, 0.3)', false)).toBe('hsla(0, 50%, 50%, 0.3)');
  });
});

describe('syncRegions', () => {
  it('adds one plugin region per key, editable ones draggable and resizable', () => {
    const plugin = fakePlugin();
    const synced: SyncedRegions = new Map();
    syncRegions(plugin, synced, [ref, clue], 'clue0');
    expect(plugin.addRegion).toHaveBeenCalledTimes(2);
    expect(plugin.addRegion).toHaveBeenCalledWith({
      id: 'ref',
      start: 1,
      end: 4,
      color: 'rgba(230, 25, 75, 0.22)',
      // Regions move only by their handles: never dragged whole (a click inside one seeks).
      drag: false,
      resize: true,
      content: 'Reference',
    });
    expect(plugin.addRegion.mock.calls[1]![0]).toMatchObject({ id: 'clue0', drag: false, resize: false, color: 'rgba(0, 128, 255, 0.42)' });
    const [refRegion, clueRegion] = plugin.added;
    expect(refRegion!.element!.dataset.key).toBe('ref');
    expect(clueRegion!.element!.getAttribute('aria-selected')).toBe('true');
    expect(clueRegion!.element!.style.outline).not.toBe('');
    expect(refRegion!.element!.style.outline).toBe('');
  });

  it('draws a marker (start === end) as a solid line', () => {
    const plugin = fakePlugin();
    syncRegions(plugin, new Map(), [{ key: 'comment-3', start: 12.3, end: 12.3, color: '#d97706', label: 'comment', editable: false }], null);
    expect(plugin.addRegion).toHaveBeenCalledWith(expect.objectContaining({ start: 12.3, end: 12.3, color: '#d97706' }));
  });

  it('updates only what changed, by key, and removes the regions gone from the props', () => {
    const plugin = fakePlugin();
    const synced: SyncedRegions = new Map();
    syncRegions(plugin, synced, [ref, clue], null);
    const [refRegion, clueRegion] = plugin.added;

    syncRegions(plugin, synced, [{ ...ref, end: 5, label: 'Ref' }, clue], null);
    expect(plugin.addRegion).toHaveBeenCalledTimes(2);
    expect(refRegion!.setOptions).toHaveBeenCalledWith({ start: 1, end: 5 });
    expect(refRegion!.setContent).toHaveBeenCalledWith('Ref');
    expect(clueRegion!.setOptions).not.toHaveBeenCalled();

    syncRegions(plugin, synced, [{ ...ref, end: 5, label: 'Ref' }, { ...clue, editable: true }], 'ref');
    expect(clueRegion!.setOptions).toHaveBeenCalledWith({ resize: true });
    expect(refRegion!.setOptions).toHaveBeenLastCalledWith({ color: 'rgba(230, 25, 75, 0.42)' });

    syncRegions(plugin, synced, [clue], null);
    expect(refRegion!.remove).toHaveBeenCalledOnce();
    expect([...synced.keys()]).toEqual(['clue0']);
  });

  it('puts a region the user moved back where the props say', () => {
    const plugin = fakePlugin();
    const synced: SyncedRegions = new Map();
    syncRegions(plugin, synced, [ref], null);
    const region = plugin.added[0]!;
    region.start = 1.5;
    region.end = 4.5;
    syncRegions(plugin, synced, [ref], null);
    expect(region.setOptions).toHaveBeenCalledWith({ start: 1, end: 4 });
    expect(region.start).toBe(1);
  });

  it('clears everything', () => {
    const plugin = fakePlugin();
    const synced: SyncedRegions = new Map();
    syncRegions(plugin, synced, [ref, clue], null);
    clearRegions(synced);
    expect(plugin.added.every((r) => r.remove.mock.calls.length === 1)).toBe(true);
    expect(synced.size).toBe(0);
  });
});

describe('ghost regions', () => {
  it('are marked apart from people’s regions, fainter, and never draggable', () => {
    const plugin = fakePlugin();
    const synced: SyncedRegions = new Map();
    const ghost: TimelineRegion = { key: 'proposal-3', start: 5, end: 6, color: '#7f7f7f', label: '? 0.90', editable: true, ghost: true };
    syncRegions(plugin, synced, [clue, ghost], null);
    const [person, machine] = plugin.added;
    expect(machine!.element!.classList.contains('tl-ghost')).toBe(true);
    expect(machine!.element!.dataset.ghost).toBe('true');
    expect(person!.element!.classList.contains('tl-ghost')).toBe(false);
    expect(plugin.addRegion.mock.calls[1]![0]).toMatchObject({ drag: false, resize: false, color: 'rgba(127, 127, 127, 0.1)' });
    syncRegions(plugin, synced, [clue, ghost], 'proposal-3');
    expect(machine!.element!.getAttribute('aria-selected')).toBe('true');
  });
});
