// The demo page: Uppy's dashboard uploading to this service with tus. Bundled by build.mjs at build time,
// so the page loads nothing from any other origin.
import Uppy from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import Tus from '@uppy/tus';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';

const config = await (await fetch('demo/config.json')).json();
const uppy = new Uppy({ autoProceed: true })
  .use(Dashboard, { inline: true, target: '#uploader', proudlyDisplayPoweredByUppy: false, showProgressDetails: true })
  // An upload URL is kept in localStorage until the upload finishes: the same file added again after a
  // reload resumes from the server's offset instead of starting over.
  .use(Tus, { endpoint: config.endpoint, retryDelays: [0, 1000, 3000, 5000], removeFingerprintOnSuccess: true });

// For the browser console (and the browser test): the page's Uppy instance.
window.uppy = uppy;

uppy.on('upload-success', (file, response) => {
  const link = document.createElement('a');
  link.href = response.uploadURL;
  link.textContent = `Download ${file.name}`;
  link.className = 'download-link';
  link.dataset.file = file.name;
  const item = document.createElement('li');
  item.append(link);
  document.querySelector('#downloads').append(item);
});
