import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictPanel } from './ConflictPanel';
import { editableOf, eventClue } from './doc';
import { makeQuestion } from './fixtures';

afterEach(cleanup);

describe('ConflictPanel', () => {
  it('says what changed in words: the state as people read it, the server message as a sentence', () => {
    const theirs = makeQuestion({ version: 9, state: 'answered', drafted_answer: 2 });
    render(
      <ConflictPanel mine={editableOf(makeQuestion())} theirs={theirs} message="this question changed since you loaded it"
        busy={false} onReapply={vi.fn()} onDiscard={vi.fn()} />,
    );
    expect(document.querySelector('.ws-conflict-heading')!.textContent).toBe(
      'The question was changed elsewhere (now version 9: Answered, clues pending (stage 3)). '
      + 'This question changed since you loaded it.');
    expect(screen.getByRole('alert', { name: 'Conflict' })).toBeTruthy();
  });

  it('says beforehand what re-apply will undo when one side accepted a proposal the other rejected', () => {
    const base = editableOf(makeQuestion({ rejected_proposals: [] }));
    const theirs = makeQuestion({ version: 5, rejected_proposals: [], clues: [{ ...eventClue(1, 2), proposal: 7 }] });
    render(
      <ConflictPanel mine={{ ...base, rejected_proposals: [7] }} theirs={theirs} base={base} message=""
        busy={false} onReapply={vi.fn()} onDiscard={vi.fn()} />,
    );
    const merge = screen.getByTestId('conflict-merge').textContent!;
    expect(merge).not.toContain('Kept as on the server: clues');
    expect(screen.getByTestId('conflict-collisions').textContent).toContain('clues');
  });
});
