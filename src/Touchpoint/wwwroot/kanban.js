// Kanban drag and drop. Dropping a card on another column submits the card's own Move form with that column chosen,
// so a drag does exactly what the form does (antiforgery token, audit entry, notice) and the board works without it.
(() => {
  const board = document.getElementById('kanban');
  if (!board) return;
  let dragged = null;
  const clearTargets = () => board.querySelectorAll('.column.drop-target').forEach(c => c.classList.remove('drop-target'));
  const targetOf = e => {
    const column = e.target.closest('.column[data-column-id]');
    return dragged && column && !column.contains(dragged) ? column : null;
  };

  board.addEventListener('dragstart', e => {
    dragged = e.target.closest('article.kcard');
    if (!dragged) return;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', dragged.dataset.card || '');
    dragged.classList.add('dragging');
  });
  board.addEventListener('dragend', () => {
    dragged?.classList.remove('dragging');
    dragged = null;
    clearTargets();
  });
  board.addEventListener('dragover', e => {
    const column = targetOf(e);
    if (!column) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    if (!column.classList.contains('drop-target')) {
      clearTargets();
      column.classList.add('drop-target');
    }
  });
  board.addEventListener('drop', e => {
    const column = targetOf(e);
    if (!column) return;
    e.preventDefault();
    const form = dragged.querySelector('form.move');
    form.querySelector('select[name="ColumnId"]').value = column.dataset.columnId;
    form.requestSubmit();
  });
})();
