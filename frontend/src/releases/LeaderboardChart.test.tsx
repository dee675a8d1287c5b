import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BOARD } from './fixtures';
import { LeaderboardChart } from './LeaderboardChart';

beforeEach(() => {
  // jsdom has no canvas: Chart.js then draws nothing and says so; the markup around it is what is tested here.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(cleanup);

describe('LeaderboardChart', () => {
  it('charts the first metric with an accessible canvas and says who is left out', () => {
    render(<LeaderboardChart board={BOARD} />);
    expect(screen.getByText('Long acc by model, scored as vlmevalkit')).toBeTruthy();
    const canvas = screen.getByRole('img');
    expect(canvas.getAttribute('aria-label')).toContain('gemini-2.0-flash: 75.0%');
    expect(screen.getByText(/Not charted/).textContent).toBe('Not charted: broken (failed).');
    expect(screen.getByText('human baseline')).toBeTruthy();
  });

  it('switches metric', () => {
    render(<LeaderboardChart board={BOARD} />);
    fireEvent.change(screen.getByLabelText(/Chart by/), { target: { value: 'long_acc/mae' } });
    expect(screen.getByText('Long MAE by model, scored as vlmevalkit')).toBeTruthy();
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('(lower is better). Human (double annotation): 0.10');
    fireEvent.change(screen.getByLabelText(/Chart by/), { target: { value: 'clue_acc/wcs' } });
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText('No model has a WCS figure under vlmevalkit.')).toBeTruthy();
  });

  it('draws nothing for an empty leaderboard (the table says so)', () => {
    const { container } = render(<LeaderboardChart board={{ ...BOARD, rows: [] }} />);
    expect(container.innerHTML).toBe('');
  });
});
