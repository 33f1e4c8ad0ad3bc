// Questions to the user as quick picks: one item or several, some of them selected or highlighted before the user
// does anything. The question on screen can be read back (the extension's API gives it to the editor tests, which
// answer it with VS Code's own quick-open commands, as a keyboard would).
import * as vscode from 'vscode';

export interface Choice<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  /** Highlighted (single choice) or ticked (several choices) when the question opens. */
  preselected?: boolean;
}

export interface Question {
  title: string;
  placeholder: string;
  /** Several items may be ticked; the answer is the ticked ones. */
  many?: boolean;
}

/** What the user sees of the open question: item labels, the highlighted and the ticked ones. */
export interface OpenQuestion {
  title: string;
  placeholder: string;
  many: boolean;
  items: string[];
  active: string[];
  selected: string[];
}

let open: { pick: vscode.QuickPick<vscode.QuickPickItem>; question: Question } | undefined;

export function openQuestion(): OpenQuestion | undefined {
  if (!open) return undefined;
  const { pick, question } = open;
  return {
    title: question.title,
    placeholder: question.placeholder,
    many: !!question.many,
    items: pick.items.map((i) => i.label),
    active: pick.activeItems.map((i) => i.label),
    selected: pick.selectedItems.map((i) => i.label),
  };
}

/** Resolves to the chosen values (one, or the ticked ones), or undefined when the user dismissed the question. */
export function ask<T>(question: Question, choices: Array<Choice<T>>): Promise<T[] | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
  pick.title = question.title;
  pick.placeholder = question.placeholder;
  pick.canSelectMany = !!question.many;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  const items = choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value }));
  pick.items = items;
  const preselected = items.filter((_, i) => choices[i].preselected);
  if (question.many) pick.selectedItems = preselected;
  else pick.activeItems = preselected.slice(0, 1);
  return new Promise((resolve) => {
    let answered: T[] | undefined;
    pick.onDidAccept(() => {
      const chosen = question.many ? pick.selectedItems : pick.activeItems.slice(0, 1);
      if (chosen.length === 0) return;
      answered = chosen.map((i) => i.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (open?.pick === pick) open = undefined;
      pick.dispose();
      resolve(answered);
    });
    open = { pick, question };
    pick.show();
  });
}
