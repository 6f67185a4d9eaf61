// The yearly report import screen: shows how far a large upload has got, then that the file
// is being checked, and while confirming, that it is being written. Without JavaScript the
// form still posts as usual.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var upload = document.querySelector("form[enctype='multipart/form-data']");
  var confirm = document.querySelector("input[name='confirm']");
  var status = document.createElement("p");
  status.className = "import-progress";
  status.setAttribute("role", "status");

  if (confirm) {
    confirm.form.appendChild(status);
    confirm.form.addEventListener("submit", function () {
      confirm.disabled = true;
      status.textContent = "正在写入，请勿关闭页面……";
    });
  }
  if (!upload || !window.FormData) {
    return;
  }
  upload.appendChild(status);
  upload.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = upload.querySelector("[type='submit']");
    var request = new XMLHttpRequest();
    request.open("POST", upload.action || window.location.href);
    request.upload.onprogress = function (progress) {
      if (progress.lengthComputable) {
        status.textContent = "正在上传：" + Math.round((progress.loaded * 100) / progress.total) + "%";
      }
    };
    request.upload.onload = function () {
      status.textContent = "上传完成，正在逐行校验，请稍候……";
    };
    request.onload = function () {
      document.open();
      document.write(request.responseText);
      document.close();
    };
    request.onerror = function () {
      button.disabled = false;
      status.textContent = "上传失败，请检查网络后重试。";
    };
    button.disabled = true;
    request.send(new FormData(upload));
  });
});
