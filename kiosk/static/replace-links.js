// Kiosk links replace the page instead of adding to history, so Back never returns to
// someone else's screen.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-replace]");
  if (!link) return;
  event.preventDefault();
  location.replace(link.href);
});
