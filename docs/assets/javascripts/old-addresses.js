// The 404 page sends a WordPress address by post id (?p=123) on to the post's new address.
// The map is written by scripts/import_wordpress.py from docs/blog/.imported.yml; edit neither.
(function () {
  // wordpress:ids:start
  const oldPostIds = {};
  // wordpress:ids:end
  const id = new URLSearchParams(window.location.search).get("p");
  if (!id || !/^\d{1,12}$/.test(id) || !Object.prototype.hasOwnProperty.call(oldPostIds, id)) {
    return;
  }
  const script = document.currentScript;
  const root = script ? new URL("../../", script.src) : new URL("/", window.location.href);
  if (root.origin !== window.location.origin) {
    return;
  }
  // Only an address on this site: never another website ("//host/") or a script ("javascript:").
  const address = oldPostIds[id];
  if (typeof address !== "string") {
    return;
  }
  let target;
  try {
    target = new URL(address, root);
  } catch (error) {
    return;
  }
  if (target.origin !== root.origin || !/^https?:$/.test(target.protocol)) {
    return;
  }
  window.location.replace(target.href);
})();
